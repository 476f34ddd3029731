using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>
/// Messages published straight to a lane (bypassing the ingress and its checks): whatever they carry,
/// the alert ends in a visible final state, never a 404 and never a message parked in <c>_error</c>.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Failing_to_process_an_alert(AlgoSignalFixture fixture)
{
    private static int Lane(string strategy, string symbol) => AlertPartitioning.Partition(strategy, symbol, 8);

    [Fact]
    public async Task Should_store_an_alert_whose_text_postgresql_would_refuse()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("nul");
        var alertId = Guid.NewGuid();

        // NUL is refused in jsonb (22P05), a lone surrogate is not UTF-8 at all.
        var payload = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NULS","price":10,"quantity":1,"message":"a\u0000b\ud800c"}""";
        await PlainRabbit.PublishAlertReceivedAsync(fixture, new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", payload), Lane(strategy, "NULS"));

        var story = await fixture.WaitForFinalAsync(alertId);
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        story.GetProperty("payload").GetProperty("message").GetString().ShouldBe("a\uFFFDb\uFFFDc");
    }

    [Fact]
    public async Task Should_end_failed_with_the_reason_publish_the_event_and_park_nothing_in_the_error_queue()
    {
        var name = "broken-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = fixture.CreateDbContext())
        {
            db.Strategies.Add(new StrategyEntity
            {
                Name = name,
                Enabled = true,
                Mode = "paper",
                Definition = """{"name":"x","routes":"not a list"}""",
                CreatedAt = TimeProvider.System.GetUtcNow(),
                UpdatedAt = TimeProvider.System.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        await using var follower = await PlainRabbit.FollowAsync(fixture, "SignalRejected");
        var alertId = Guid.NewGuid();
        var payload = $$"""{"strategy":"{{name}}","action":"buy","symbol":"FAILQ","price":1}""";
        await PlainRabbit.PublishAlertReceivedAsync(fixture, new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", payload), Lane(name, "FAILQ"));

        var story = await fixture.WaitForFinalAsync(alertId, TimeSpan.FromSeconds(30));
        story.GetProperty("status").GetString().ShouldBe("failed");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("JsonException");

        var rejected = await follower.WaitForAsync("SignalRejected", m => m.GetProperty("alertId").GetGuid() == alertId);
        rejected.GetProperty("status").GetString().ShouldBe("failed");
        rejected.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("JsonException");
        (await PlainRabbit.MessageCountAsync(fixture, $"alert-received-{Lane(name, "FAILQ")}_error")).ShouldBe(0u);
    }
}
