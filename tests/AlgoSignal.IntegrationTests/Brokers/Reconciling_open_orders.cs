using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// Working orders are reconciled too: an order at the broker AlgoSignal does not know, and an order AlgoSignal marked
/// unknown that is in fact live, are reported — and, unless <c>Reconciliation:AutoCorrect</c> says so, left as they are.
/// </summary>
public sealed class Reconciling_open_orders : OpenOrderReconciliation
{
    protected override bool AutoCorrect => false;

    [Fact]
    public async Task Should_report_an_order_working_at_the_broker_that_algosignal_does_not_know()
    {
        var outside = Fake.AddOutsideOrder("ETHUSDT", "Sell", 2m, 3_000m);
        var report = await ReconciliationReports.WaitForAsync(Environment.Http, r => ReconciliationReports.OpenDrifts(r, "untracked_order").Any());
        report.ShouldNotBeNull("the untracked order is reported within a few reconciliation intervals");
        var drift = ReconciliationReports.OpenDrifts(report.Value, "untracked_order").ShouldHaveSingleItem();
        drift.GetProperty("broker").GetString().ShouldBe("bybit");
        drift.GetProperty("symbol").GetString().ShouldBe("ETHUSDT");
        drift.GetProperty("broker_quantity").GetDecimal().ShouldBe(-2m, "a sell order for 2 is open");
        drift.GetProperty("our_quantity").GetDecimal().ShouldBe(0m);
        drift.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(outside.OrderId);
        Fake.CreateRequests.ShouldBe(0, "a drift is reported, never corrected by trading");
        Fake.Orders[outside.OrderLinkId].Status.ShouldBe("New", "nor by cancelling");

        Fake.Fill(outside.OrderLinkId, 3_000m);
        Fake.OutsidePositions["ETHUSDT"] = 2m;
        (await ReconciliationReports.WaitForAsync(Environment.Http, r => !ReconciliationReports.OpenDrifts(r, "untracked_order").Any()))
            .ShouldNotBeNull("the order drift is resolved once the order no longer works");
    }

    [Fact]
    public async Task Should_report_an_order_marked_unknown_that_is_live_and_leave_it_unknown()
    {
        var clientOrderId = await MarkALiveOrderUnknownAsync();
        var report = await ReconciliationReports.WaitForAsync(Environment.Http, r => ReconciliationReports.OpenDrifts(r, "unknown_order_live").Any());
        report.ShouldNotBeNull("the live order marked unknown is reported");
        var drift = ReconciliationReports.OpenDrifts(report.Value, "unknown_order_live").ShouldHaveSingleItem();
        drift.GetProperty("symbol").GetString().ShouldBe("BTCUSDT");
        drift.GetProperty("broker_quantity").GetDecimal().ShouldBe(0.01m);
        drift.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(clientOrderId);

        // A later reconciliation run, one that would have corrected the order, has passed before the order is read again.
        var reportedRun = ReconciliationReports.LastRun(report.Value, "bybit");
        await ReconciliationReports.WaitForAsync(Environment.Http, r => ReconciliationReports.LastRun(r, "bybit") > reportedRun);
        (await StatusAsync(clientOrderId)).ShouldBe(OrderStatuses.Unknown, "without Reconciliation:AutoCorrect nothing is corrected");
    }
}

/// <summary>With <c>Reconciliation:AutoCorrect</c> an order marked unknown that is live at the broker is adopted again as accepted.</summary>
public sealed class Adopting_live_orders_marked_unknown : OpenOrderReconciliation
{
    protected override bool AutoCorrect => true;

    [Fact]
    public async Task Should_adopt_an_order_marked_unknown_that_is_live_as_accepted()
    {
        var clientOrderId = await MarkALiveOrderUnknownAsync();
        // Recorded (and, once adopted, resolved again).
        (await ReconciliationReports.WaitForAsync(Environment.Http, r => r.GetProperty("drifts").EnumerateArray().Any(d => d.GetProperty("kind").GetString() == "unknown_order_live")))
            .ShouldNotBeNull("the drift is recorded");

        (await Eventually.HoldsAsync(async () => await StatusAsync(clientOrderId) == OrderStatuses.Accepted, TimeSpan.FromSeconds(20))).ShouldBeTrue("it is adopted again");
        await using var db = Environment.CreateDbContext();
        var order = await db.Orders.Include(o => o.Events).SingleAsync(o => o.ClientOrderId == clientOrderId);
        order.BrokerOrderId.ShouldBe(Fake.Orders[clientOrderId].OrderId);
        order.Events.OrderBy(e => e.Id).Last().Message.ShouldNotBeNull().ShouldContain("adopted again by reconciliation");

        var resolved = await ReconciliationReports.WaitForAsync(Environment.Http, r => !ReconciliationReports.OpenDrifts(r, "unknown_order_live").Any());
        resolved.ShouldNotBeNull("the drift is resolved once the order is followed again");
    }
}

/// <summary>A Bybit fake and one worker reconciling every second; a resting order AlgoSignal placed can be marked unknown.</summary>
public abstract class OpenOrderReconciliation : IAsyncLifetime
{
    protected FakeBybit Fake { get; private set; } = null!;

    protected AlgoSignalFixture Environment { get; private set; } = null!;

    protected abstract bool AutoCorrect { get; }

    public async Task InitializeAsync()
    {
        Fake = await FakeBybit.StartAsync();
        var settings = Fake.Settings();
        settings["Reconciliation:IntervalSeconds"] = "1";
        settings["Reconciliation:AutoCorrect"] = AutoCorrect ? "true" : "false";
        Environment = new AlgoSignalFixture(workers: 1, settings);
        await Environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Environment.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>
    /// Places a resting limit order, then loses track of it as a lost answer would: marked unknown without the broker's id,
    /// while Bybit stops answering queries for single orders (so it cannot be settled by its client order id).
    /// </summary>
    protected async Task<string> MarkALiveOrderUnknownAsync()
    {
        var (strategy, _) = await Environment.CreateStrategyAsync("recon", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (status, body) = await Environment.PostSignedAsync(
            $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01,"order_type":"limit","limit_price":49000}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetGuid();
        string? clientOrderId = null;
        (await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = Environment.CreateDbContext();
                clientOrderId = await db.Orders.Where(o => o.AlertId == alertId && o.Status == OrderStatuses.Accepted).Select(o => o.ClientOrderId).FirstOrDefaultAsync();
                return clientOrderId is not null;
            },
            TimeSpan.FromSeconds(20))).ShouldBeTrue("the limit order rests at Bybit");

        Fake.FailOrderQueries = true;
        await using (var db = Environment.CreateDbContext())
        {
            await db.Orders.Where(o => o.ClientOrderId == clientOrderId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatuses.Unknown).SetProperty(o => o.BrokerOrderId, (string?)null));
        }

        return clientOrderId!;
    }

    protected async Task<string?> StatusAsync(string clientOrderId)
    {
        await using var db = Environment.CreateDbContext();
        return await db.Orders.Where(o => o.ClientOrderId == clientOrderId).Select(o => o.Status).FirstOrDefaultAsync();
    }
}
