using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.IntegrationTests.Telemetry;
using AlgoSignal.Worker.Pipeline;
using AlgoSignal.Worker.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// Fills pushed over Bybit's private WebSocket reach the books without polling; when the stream drops, polling takes
/// over and the order still settles; a fill seen by both the stream and a poll is applied once.
/// </summary>
public sealed class Receiving_fills_over_the_stream : IAsyncLifetime
{
    private const decimal Quantity = 0.01m;

    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var settings = _fake.Settings(stream: true);
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
    public async Task Should_update_the_position_from_a_pushed_fill_without_polling()
    {
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue("the worker authenticates and subscribes to order and execution");
        _fake.StreamRefusals.ShouldBeEmpty();
        var metrics = Metrics();
        var before = await MetricsText.ScrapeAsync(metrics);

        var (alertId, linkId) = await PlaceRestingOrderAsync();

        // Rounds of the worker's poller over the order now resting: without the healthy stream each would ask about it.
        var poller = _environment.Workers[0].Services.GetServices<IHostedService>().OfType<BrokerOrderPoller>().Single();
        await poller.PollOnceAsync(CancellationToken.None);
        await poller.PollOnceAsync(CancellationToken.None);
        _fake.RealtimeRequests.ShouldBe(0, "a resting order is left to the healthy stream");

        await _fake.FillAsync(linkId, 49_000m);
        (await Eventually.HoldsAsync(async () => await PositionAsync() == Quantity, TimeSpan.FromSeconds(10))).ShouldBeTrue("the pushed fill updates the position");
        (await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(10))).GetProperty("status").GetString().ShouldBe("filled");
        _fake.RealtimeRequests.ShouldBe(0, "no order was polled while the stream was healthy");

        var after = await MetricsText.ScrapeAsync(metrics);
        MetricsText.Delta(before, after, "algosignal_fill_latency_seconds_count", ("broker", "bybit"), ("source", "stream")).ShouldBe(1, after.Text);
        MetricsText.Delta(before, after, "algosignal_fill_latency_seconds_count", ("broker", "bybit"), ("source", "poll")).ShouldBe(0);
        MetricsText.Delta(before, after, "algosignal_broker_requests_total", ("broker", "bybit"), ("operation", "order_status")).ShouldBe(0, "the worker's own count of status requests");
        MetricsText.Delta(before, after, "algosignal_broker_requests_total", ("broker", "bybit"), ("operation", "place")).ShouldBe(1);
    }

    [Fact]
    public async Task Should_fill_a_market_order_whose_push_arrives_before_the_placement_answer()
    {
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var (strategy, _) = await _environment.CreateStrategyAsync("streammkt", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":{{Quantity}}}""");
        status.ShouldBe(202, body.ToString());

        // The fill is pushed while the order is still being recorded as sent; it is kept and applied once the order is followed.
        var story = await _environment.WaitForSettledAsync(body.GetProperty("alert_id").GetGuid(), TimeSpan.FromSeconds(20));
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        (await PositionAsync()).ShouldBe(Quantity);
        _fake.RealtimeRequests.ShouldBe(0, "the fill came over the stream, not from a poll");
    }

    [Fact]
    public async Task Should_poll_while_the_stream_is_down_and_still_settle_the_order()
    {
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var metrics = Metrics();
        var before = await MetricsText.ScrapeAsync(metrics);
        var (alertId, linkId) = await PlaceRestingOrderAsync();

        _fake.DropStreams(refuseNew: true);
        await _fake.FillAsync(linkId, 49_500m);
        (await Eventually.HoldsAsync(async () => await PositionAsync() == Quantity, TimeSpan.FromSeconds(20))).ShouldBeTrue("polling takes over while the stream is down");
        (await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(10))).GetProperty("status").GetString().ShouldBe("filled");
        _fake.RealtimeRequests.ShouldBeGreaterThan(0);

        var after = await MetricsText.ScrapeAsync(metrics);
        MetricsText.Delta(before, after, "algosignal_fill_latency_seconds_count", ("broker", "bybit"), ("source", "poll")).ShouldBe(1, after.Text);

        _fake.AllowStreams();
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue("the stream reconnects once Bybit takes connections again");
    }

    [Fact]
    public async Task Should_apply_a_fill_seen_by_both_the_stream_and_a_poll_once()
    {
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var (alertId, linkId) = await PlaceRestingOrderAsync();

        // Part of it pushed twice (a resent message), then the stream goes quiet and a poll reads the whole fill.
        await _fake.FillAsync(linkId, 49_000m, filledQuantity: 0.004m, pushes: 2);
        (await Eventually.HoldsAsync(async () => await PositionAsync() == 0.004m, TimeSpan.FromSeconds(10))).ShouldBeTrue();
        _fake.DropStreams(refuseNew: true);
        _fake.Fill(linkId, 49_000m);
        (await Eventually.HoldsAsync(async () => await PositionAsync() == Quantity, TimeSpan.FromSeconds(20))).ShouldBeTrue("the poll applies the rest");

        // The stream comes back and repeats the final state late: nothing changes.
        _fake.AllowStreams();
        (await Eventually.HoldsAsync(() => _fake.SubscribedStreams == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var (markerId, markerLinkId) = await PlaceRestingOrderAsync(entries: 5);
        await _fake.PushOrderAsync(linkId);
        await _fake.FillAsync(linkId, 49_000m, pushes: 2);

        // Then another order's cancellation over the same connection: the stream applies its messages one after another,
        // so once the cancellation is in the books the late repeats before it have been handled.
        _fake.Orders[markerLinkId] = _fake.Orders[markerLinkId] with { Status = "Cancelled", UpdatedTime = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() };
        await _fake.PushOrderAsync(markerLinkId);
        (await Eventually.HoldsAsync(async () => await StatusAsync(markerId) == OrderStatuses.Cancelled, TimeSpan.FromSeconds(20))).ShouldBeTrue("the marker order's cancellation is applied");

        (await PositionAsync()).ShouldBe(Quantity, "each part of the fill is applied once");
        await using var db = _environment.CreateDbContext();
        var order = await db.Orders.Include(o => o.Events).SingleAsync(o => o.AlertId == alertId);
        order.Status.ShouldBe(OrderStatuses.Filled);
        order.FilledQuantity.ShouldBe(Quantity);
        var fills = order.Events.Where(e => e.Type is OrderStatuses.PartiallyFilled or OrderStatuses.Filled && e.Quantity is not null).ToList();
        fills.Sum(e => e.Quantity).ShouldBe(Quantity);
        fills.Count.ShouldBe(2, string.Join(", ", order.Events.Select(e => $"{e.Type} {e.Quantity}")));
    }

    [Fact]
    public async Task Should_refuse_what_bybit_refuses_on_the_private_stream()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_fake.StreamAddress, CancellationToken.None);

        (await AskAsync(socket, """{"op":"subscribe","args":["order"]}""")).GetProperty("success").GetBoolean().ShouldBeFalse("a subscription before authentication");
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var expired = now - 1_000;
        (await AskAsync(socket, Auth(FakeBybit.ApiKey, expired, BybitOrderStream.Sign(FakeBybit.ApiSecret, expired)))).GetProperty("success").GetBoolean().ShouldBeFalse("an expired authentication");
        var expires = now + 10_000;
        (await AskAsync(socket, Auth(FakeBybit.ApiKey, expires, BybitOrderStream.Sign("another-secret", expires)))).GetProperty("success").GetBoolean().ShouldBeFalse("a wrong signature");
        (await AskAsync(socket, Auth(FakeBybit.ApiKey, expires, BybitOrderStream.Sign(FakeBybit.ApiSecret, expires)))).GetProperty("success").GetBoolean().ShouldBeTrue();
        (await AskAsync(socket, """{"op":"subscribe","args":["order","execution"]}""")).GetProperty("success").GetBoolean().ShouldBeTrue();
        (await AskAsync(socket, """{"op":"ping"}""")).GetProperty("op").GetString().ShouldBe("pong");
        _fake.StreamRefusals.Count.ShouldBe(3);
    }

    private static string Auth(string key, long expires, string signature) => JsonSerializer.Serialize(new { op = "auth", args = new object[] { key, expires, signature } });

    private static async Task<JsonElement> AskAsync(ClientWebSocket socket, string request)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    private Uri Metrics() => _environment.Workers[0].Services.GetRequiredService<WorkerEndpoint>().Addresses.ShouldHaveSingleItem();

    /// <summary>A resting limit buy at Bybit, accepted; answers its alert and client order id.</summary>
    /// <param name="entries">How many entries the strategy allows in the account's position (more, to add to one already held).</param>
    private async Task<(Guid AlertId, string LinkId)> PlaceRestingOrderAsync(int entries = 1)
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("stream", d => d with { Routes = [new StrategyRoute("bybit", "main")], Pyramiding = entries });
        var (status, body) = await _environment.PostSignedAsync(
            $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":{{Quantity}},"order_type":"limit","limit_price":49000}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetGuid();
        string? linkId = null;
        (await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _environment.CreateDbContext();
                linkId = await db.Orders.Where(o => o.AlertId == alertId && o.Status == OrderStatuses.Accepted).Select(o => o.ClientOrderId).FirstOrDefaultAsync();
                return linkId is not null;
            },
            TimeSpan.FromSeconds(20))).ShouldBeTrue("the limit order rests at Bybit");
        _fake.Orders[linkId!].Status.ShouldBe("New");
        return (alertId, linkId!);
    }

    private async Task<string?> StatusAsync(Guid alertId)
    {
        await using var db = _environment.CreateDbContext();
        return await db.Orders.Where(o => o.AlertId == alertId).Select(o => o.Status).SingleOrDefaultAsync();
    }

    private async Task<decimal> PositionAsync()
    {
        await using var db = _environment.CreateDbContext();
        return await db.Positions.Where(p => p.Broker == "bybit").SumAsync(p => p.Quantity);
    }
}
