using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
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
        // Stored and decided: filled, or rejected should the parser one day refuse the replacement character.
        story.GetProperty("status").GetString().ShouldBeOneOf("filled", "rejected");
        story.GetProperty("payload").GetProperty("message").GetString().ShouldBe("a\uFFFDb\uFFFDc");
    }

    [Fact]
    public async Task Should_end_failed_with_the_reason_publish_the_event_and_park_nothing_in_the_error_queue()
    {
        var name = await BrokenStrategies.AddAsync(fixture);

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

    [Fact]
    public async Task Should_end_failed_with_the_reason_even_when_postgresql_refuses_the_alerts_payload()
    {
        // PostgreSQL refusing this alert's payload on every write, as it refused NUL before the worker
        // cleaned text: the failure is still recorded, with a note in place of the payload. The trigger's
        // names are the test's own random identifier, nothing a user wrote.
        var marker = "refuse" + Guid.NewGuid().ToString("N")[..10];
        var install = $$"""
                CREATE FUNCTION {{marker}}() RETURNS trigger AS $body$
                BEGIN
                    IF NEW.payload::text LIKE '%{{marker}}%' THEN
                        RAISE EXCEPTION 'unsupported Unicode escape sequence' USING ERRCODE = '22P05';
                    END IF;
                    RETURN NEW;
                END $body$ LANGUAGE plpgsql;
                CREATE TRIGGER {{marker}} BEFORE INSERT OR UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION {{marker}}();
                """;
        await using (var db = fixture.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync(install);
        }

        try
        {
            var (strategy, _) = await fixture.CreateStrategyAsync("refused");
            var alertId = Guid.NewGuid();
            var payload = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"REFUSED","price":10,"quantity":1,"message":"{{marker}}"}""";
            await PlainRabbit.PublishAlertReceivedAsync(fixture, new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", payload), Lane(strategy, "REFUSED"));

            var story = await fixture.WaitForFinalAsync(alertId, TimeSpan.FromSeconds(30));
            story.GetProperty("status").GetString().ShouldBe("failed");
            story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("22P05");
            story.GetProperty("payload").GetProperty("unstored_payload").GetString().ShouldNotBeNull().ShouldContain("22P05");
            await using var db = fixture.CreateDbContext();
            (await db.Orders.CountAsync(o => o.AlertId == alertId)).ShouldBe(0);
        }
        finally
        {
            await using var db = fixture.CreateDbContext();
            var uninstall = $"DROP TRIGGER {marker} ON alerts; DROP FUNCTION {marker}();";
            await db.Database.ExecuteSqlRawAsync(uninstall);
        }
    }
}
