using System.Text.Json;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// Events that happen after an alert's transaction — a live broker's fill or refusal, a reconciliation drift — reach a
/// subscribed webhook exactly once, through the events the worker publishes, against the Bybit fake.
/// </summary>
public sealed class Notifying_of_live_broker_events : IAsyncLifetime
{
    private FakeBybit _bybit = null!;
    private FakeWebhookReceiver _receiver = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _bybit = await FakeBybit.StartAsync();
        _receiver = await FakeWebhookReceiver.StartAsync("live-events-secret-0123456789");
        var settings = _bybit.Settings();
        settings["Reconciliation:IntervalSeconds"] = "1";
        settings["Notifications:PollIntervalSeconds"] = "0.2";
        settings["Notifications:Webhooks:0:Url"] = _receiver.Url.ToString();
        settings["Notifications:Webhooks:0:Secret"] = "live-events-secret-0123456789";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _receiver.DisposeAsync();
        await _bybit.DisposeAsync();
    }

    [Fact]
    public async Task Should_tell_a_live_fill_a_live_refusal_and_a_drift_once_each()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("nlive", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var filled = await SendAsync(strategy, "BYBIT:BTCUSDT.P", 50000, 0.01m, "filled");
        var refused = await SendAsync(strategy, "REJECTUSDT", 10, 1m, "rejected");
        _bybit.OutsidePositions["ETHUSDT"] = 2m;

        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (DateTimeOffset.UtcNow < deadline && !(Of("order.filled").Count >= 1 && Of("order.rejected").Count >= 1 && Of("reconciliation.drift").Count >= 1))
        {
            await Task.Delay(100);
        }

        // Two later reconciliations saw the drift again (each is saved before the next begins, and publishes what it
        // found before that), and the worker has nothing left to deliver: a drift told again would be here by now.
        var seenAgain = new HashSet<DateTimeOffset>();
        (await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _environment.CreateDbContext();
                if (await db.ReconciliationDrifts.AsNoTracking().FirstOrDefaultAsync(d => d.Broker == "bybit" && d.Symbol == "ETHUSDT" && d.ResolvedAt == null) is { } open
                    && open.LastSeenAt > open.DetectedAt)
                {
                    seenAgain.Add(open.LastSeenAt);
                }

                return seenAgain.Count >= 2 && !await db.Notifications.AnyAsync(n => n.Status == NotificationStatuses.Pending);
            },
            TimeSpan.FromSeconds(20))).ShouldBeTrue("the drift seen twice more and every notification delivered");
        _receiver.Refused.ShouldBeEmpty();
        var fill = Of("order.filled").ShouldHaveSingleItem();
        fill.GetProperty("alert_id").GetGuid().ShouldBe(filled);
        fill.GetProperty("strategy").GetString().ShouldBe(strategy);
        fill.GetProperty("data").GetProperty("broker").GetString().ShouldBe("bybit");
        fill.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("BTCUSDT");
        var refusal = Of("order.rejected").ShouldHaveSingleItem();
        refusal.GetProperty("alert_id").GetGuid().ShouldBe(refused);
        refusal.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("110007");
        var drift = Of("reconciliation.drift").ShouldHaveSingleItem("a drift seen every second is told once");
        drift.GetProperty("symbol").GetString().ShouldBe("ETHUSDT");
        drift.GetProperty("data").GetProperty("broker_quantity").GetDecimal().ShouldBe(2m);
    }

    private List<JsonElement> Of(string notificationEvent) =>
        _receiver.Received.Where(b => b.GetProperty("event").GetString() == notificationEvent).ToList();

    private async Task<Guid> SendAsync(string strategy, string symbol, decimal price, decimal quantity, string expected)
    {
        var (status, body) = await _environment.PostSignedAsync(
            $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":{{price}},"quantity":{{quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
        status.ShouldBe(202);
        var id = body.GetProperty("alert_id").GetGuid();
        (await _environment.WaitForSettledAsync(id, TimeSpan.FromSeconds(20))).GetProperty("status").GetString().ShouldBe(expected);
        return id;
    }
}
