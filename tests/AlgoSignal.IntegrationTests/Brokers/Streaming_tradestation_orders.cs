using AlgoSignal.Brokers.TradeStation;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// TradeStation's order stream (chunked JSON lines, a snapshot, heartbeats, GoAway) follows live orders: a fill it
/// pushes reaches the books without a status request, and a GoAway is answered by reconnecting at once.
/// </summary>
public sealed class Streaming_tradestation_orders : IAsyncLifetime
{
    private FakeTradeStation _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradeStation.StartAsync();
        _fake.HeartbeatInterval = TimeSpan.FromSeconds(1);
        var settings = _fake.Settings(stream: true);
        settings["Brokers:TradeStation:StreamIdleSeconds"] = "5";
        settings["BrokerStreams:MaxBackoffSeconds"] = "1";
        settings["Reconciliation:Enabled"] = "false";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_apply_a_pushed_fill_without_asking_for_the_order_and_reconnect_after_a_goaway()
    {
        (await Eventually.HoldsAsync(() => _fake.OpenStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue("the worker opens the order stream");
        var (strategy, _) = await _environment.CreateStrategyAsync("tsstream", d => d with { Routes = [new StrategyRoute("tradestation", "SIM123456")] });
        var (status, body) = await _environment.PostSignedAsync(
            $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NYSE:IBM","price":150,"quantity":3,"order_type":"limit","limit_price":149}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetGuid();
        string? clientOrderId = null;
        (await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _environment.CreateDbContext();
                clientOrderId = await db.Orders.Where(o => o.AlertId == alertId && o.Status == OrderStatuses.Accepted).Select(o => o.ClientOrderId).FirstOrDefaultAsync();
                return clientOrderId is not null;
            },
            TimeSpan.FromSeconds(20))).ShouldBeTrue("the limit order rests at TradeStation");

        // Heartbeats keep the idle stream alive past its silence limit (5 s; one heartbeat a second); the broker then
        // asks for a reconnect. The wait ends once six more heartbeats went out, not after a fixed time.
        var beatsBefore = _fake.HeartbeatsSent;
        await Eventually.HoldsAsync(() => _fake.HeartbeatsSent >= beatsBefore + 6, TimeSpan.FromSeconds(20));
        _fake.StreamsOpened.ShouldBe(1, "heartbeats keep an idle stream open");
        _fake.GoAway();
        (await Eventually.HoldsAsync(() => _fake.StreamsOpened == 2 && _fake.OpenStreams == 1, TimeSpan.FromSeconds(10))).ShouldBeTrue("a GoAway is answered by reconnecting");

        _fake.FillAndPush(TradeStationAdapter.ConfirmId(clientOrderId!), 149m);
        (await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _environment.CreateDbContext();
                return await db.Positions.Where(p => p.Broker == "tradestation").SumAsync(p => p.Quantity) == 3m;
            },
            TimeSpan.FromSeconds(10))).ShouldBeTrue("the pushed fill updates the position");
        (await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(10))).GetProperty("status").GetString().ShouldBe("filled");
        _fake.StatusRequestTimes.ShouldBeEmpty("no order status was polled while the stream was healthy");
    }
}
