using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>Another service on the plain RabbitMQ client, as the README's "Integrating through RabbitMQ" describes it.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Integrating_through_rabbitmq(AlgoSignalFixture fixture)
{
    private static readonly string[] Events =
        ["AlertReceived", "SignalAccepted", "SignalRejected", "OrderAccepted", "OrderRejected", "OrderFilled", "OrderFailed", "DataQualityDegraded"];

    [Fact]
    public async Task Should_let_a_follower_bind_to_every_event_right_after_the_worker_starts()
    {
        // A virtual host of its own: no event was ever published there.
        var vhost = fixture.VirtualHost + "-fresh";
        await TestServices.CreateVirtualHostAsync(vhost);
        try
        {
            var settings = fixture.Settings();
            settings["RabbitMq:VirtualHost"] = vhost;
            using var worker = WorkerHost.CreateBuilder(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray()).Build();
            await worker.StartAsync();
            try
            {
                var factory = fixture.RabbitConnectionFactory();
                factory.VirtualHost = vhost;
                await using var connection = await factory.CreateConnectionAsync();
                await using var channel = await connection.CreateChannelAsync();
                var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
                foreach (var name in Events)
                {
                    await channel.QueueBindAsync(queue, "AlgoSignal.Contracts:" + name, "");
                }
            }
            finally
            {
                await worker.StopAsync();
            }
        }
        finally
        {
            await TestServices.DeleteVirtualHostAsync(vhost);
        }
    }

    [Fact]
    public async Task Should_publish_signal_rejected_for_a_queued_alert_with_invalid_fields()
    {
        await using var follower = await PlainRabbit.FollowAsync(fixture, "SignalRejected");
        var id = Guid.NewGuid();
        await PlainRabbit.PublishSubmitAlertAsync(fixture, id, """{"strategy":"demo","action":"jump","symbol":"Q","price":"abc"}""");

        var story = await fixture.WaitForFinalAsync(id);
        story.GetProperty("status").GetString().ShouldBe("rejected");
        var rejected = await follower.WaitForAsync("SignalRejected", m => m.GetProperty("alertId").GetGuid() == id);
        rejected.GetProperty("status").GetString().ShouldBe("rejected");
        rejected.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("action");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Should_store_a_message_that_is_not_json_as_rejected_with_the_parsers_reason(string contentType)
    {
        await using var follower = await PlainRabbit.FollowAsync(fixture, "SignalRejected");
        var id = Guid.NewGuid();
        await PlainRabbit.PublishSubmitAlertAsync(fixture, id, "BUY BTCUSDT", contentType);

        var story = await fixture.WaitForFinalAsync(id);
        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("source").GetString().ShouldBe("queue");
        var reason = story.GetProperty("reason").GetString().ShouldNotBeNull();
        reason.ShouldContain("JSON");
        var rejected = await follower.WaitForAsync("SignalRejected", m => m.GetProperty("alertId").GetGuid() == id);
        rejected.GetProperty("reason").GetString().ShouldBe(reason);
        (await PlainRabbit.MessageCountAsync(fixture, "submit-alert_error")).ShouldBe(0u);
    }
}
