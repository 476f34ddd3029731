using System.Text;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

[Collection(AlgoSignalCollection.Name)]
public sealed class Recovering_from_faults(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_place_one_order_when_the_same_alert_message_is_delivered_twice()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("redeliver");
        var alertId = Guid.NewGuid();
        var payload = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"TWICE","price":10,"quantity":1}""";
        var message = new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", payload);

        // As RabbitMQ would redeliver it after a worker crash: the same message, twice, on its lane.
        await PlainRabbit.PublishAlertReceivedAsync(fixture, message, AlgoSignal.Domain.Alerts.AlertPartitioning.Partition(strategy, "TWICE", 8));
        await PlainRabbit.PublishAlertReceivedAsync(fixture, message, AlgoSignal.Domain.Alerts.AlertPartitioning.Partition(strategy, "TWICE", 8));

        var story = await fixture.WaitForFinalAsync(alertId);
        story.GetProperty("status").GetString().ShouldBe("filled");

        // A later alert on the same lane, which places nothing (there is no short to close): the lane takes one message
        // at a time in arrival order, so once it is final the repeat before it has been handled too.
        var markerId = Guid.NewGuid();
        var marker = new AlertReceived(markerId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", $$"""{"strategy":"{{strategy}}","action":"close_short","symbol":"TWICE","price":10}""");
        await PlainRabbit.PublishAlertReceivedAsync(fixture, marker, AlgoSignal.Domain.Alerts.AlertPartitioning.Partition(strategy, "TWICE", 8));
        await fixture.WaitForFinalAsync(markerId);
        await using var db = fixture.CreateDbContext();
        (await db.Orders.CountAsync(o => o.AlertId == alertId)).ShouldBe(1);
        (await db.Positions.SingleAsync(p => p.Account == "acct-" + strategy)).Quantity.ShouldBe(1m);
    }

    [Fact]
    public async Task Should_end_failed_with_the_reason_when_processing_keeps_failing()
    {
        var name = await BrokenStrategies.AddAsync(fixture);

        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{name}}","action":"buy","symbol":"FAILS","price":1}""");
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid(), TimeSpan.FromSeconds(30));
        story.GetProperty("status").GetString().ShouldBe("failed");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("JsonException");
    }

    [Fact]
    public async Task Should_tell_followers_through_the_published_events()
    {
        var factory = fixture.RabbitConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in new[] { "AlgoSignal.Contracts:SignalAccepted", "AlgoSignal.Contracts:OrderFilled", "AlgoSignal.Contracts:SignalRejected" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }

        var (strategy, _) = await fixture.CreateStrategyAsync("events");
        var (_, accepted) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"EVT","price":7,"quantity":1}""");
        var (_, rejected) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"close_short","symbol":"EVT2","price":7}""");
        var acceptedId = accepted.GetProperty("alert_id").GetGuid().ToString();
        var rejectedId = rejected.GetProperty("alert_id").GetGuid().ToString();

        var seen = new List<(string Type, JsonElement Message)>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (seen.Count < 3 && TimeProvider.System.GetUtcNow() < deadline)
        {
            var delivery = await channel.BasicGetAsync(queue, autoAck: true);
            if (delivery is null)
            {
                await Task.Delay(50);
                continue;
            }

            using var envelope = JsonDocument.Parse(delivery.Body.ToArray());
            var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            seen.Add((type[(type.LastIndexOf(':') + 1)..], envelope.RootElement.GetProperty("message").Clone()));
        }

        seen.ShouldContain(e => e.Type == "SignalAccepted" && e.Message.GetProperty("alertId").GetString() == acceptedId);
        seen.ShouldContain(e => e.Type == "OrderFilled" && e.Message.GetProperty("alertId").GetString() == acceptedId && decimal.Parse(e.Message.GetProperty("averagePrice").ToString(), System.Globalization.CultureInfo.InvariantCulture) == 7m);
        seen.ShouldContain(e => e.Type == "SignalRejected" && e.Message.GetProperty("alertId").GetString() == rejectedId && e.Message.GetProperty("status").GetString() == "rejected");
    }
}
