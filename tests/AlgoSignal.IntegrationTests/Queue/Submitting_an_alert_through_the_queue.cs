using System.Text;
using AlgoSignal.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Queue;

/// <summary>A service that is not .NET publishes plain JSON with the plain RabbitMQ client (README, "Integrating through RabbitMQ").</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Submitting_an_alert_through_the_queue(AlgoSignalFixture fixture)
{
    private async Task PublishRawAsync(Guid messageId, string json)
    {
        var factory = fixture.RabbitConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, MessageId = messageId.ToString() };
        await channel.BasicPublishAsync("submit-alert", "", mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public async Task Should_take_raw_json_through_the_same_path_as_a_webhook()
    {
        var id = Guid.NewGuid();
        var (strategy, _) = await fixture.CreateStrategyAsync("queue");
        await PublishRawAsync(id, $$"""{"source":"my-service","strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:QUEUEUSDT","price":"123.5","quantity":2}""");

        var story = await fixture.WaitForFinalAsync(id);
        story.GetProperty("status").GetString().ShouldBe("filled");
        story.GetProperty("source").GetString().ShouldBe("queue");
        story.GetProperty("orders")[0].GetProperty("average_price").GetDecimal().ShouldBe(123.5m);
    }

    [Fact]
    public async Task Should_store_an_invalid_queued_alert_as_rejected_with_every_reason()
    {
        var id = Guid.NewGuid();
        await PublishRawAsync(id, """{"strategy":"demo","action":"jump","symbol":"Q","price":"abc"}""");

        var story = await fixture.WaitForFinalAsync(id);
        story.GetProperty("status").GetString().ShouldBe("rejected");
        var reason = story.GetProperty("reason").GetString();
        reason.ShouldNotBeNull();
        reason.ShouldContain("action");
        reason.ShouldContain("price");
    }
}
