using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Bybit;
using AlgoSignal.Brokers.Tests.Fakes;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>The adapter contract against the Bybit V5 fake, plus Bybit's own rules.</summary>
public sealed class Trading_on_bybit : BrokerAdapterContract
{
    private FakeBybit _fake = null!;

    protected override string Symbol => "BYBIT:BTCUSDT.P";

    protected override string RefusedSymbol => "REJECTUSDT";

    protected override decimal Price => 50_000m;

    public override async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var options = new BybitOptions
        {
            BaseUrl = _fake.BaseAddress.ToString(),
            ApiKey = FakeBybit.ApiKey,
            ApiSecret = FakeBybit.ApiSecret,
            TimeoutSeconds = 3,
        };
        Adapter = new BybitAdapter(BybitAuthHandler.CreateClient(options, TimeProvider.System), Options.Create(options), TimeProvider.System);
    }

    public override async Task DisposeAsync() => await _fake.DisposeAsync();

    protected override int OrdersAtBroker(string clientOrderId) => _fake.Orders.Values.Count(o => o.OrderLinkId == clientOrderId);

    protected override (decimal? TakeProfit, decimal? StopLoss) BracketAtBroker(string clientOrderId) => (_fake.Orders[clientOrderId].TakeProfit, _fake.Orders[clientOrderId].StopLoss);

    protected override void FailNext(int count, int status) => _fake.FailNext(count, status);

    protected override IReadOnlyCollection<string> RequestBodies() => _fake.RequestBodies;

    protected override void OpenPositionElsewhere(string brokerSymbol, decimal quantity) => _fake.OutsidePositions[brokerSymbol] = quantity;

    protected override string SideAtBroker(string clientOrderId) => _fake.Orders[clientOrderId].Side;

    protected override void AnswerNextPlacementWith(CannedAnswer answer) => _fake.AnswerNextPlacementWith(answer);

    protected override int PlacementAttempts() => _fake.CreateRequests;

    protected override void HangNextPlacement() => _fake.HangNextCreate();

    protected override void FillAtBroker(string clientOrderId, decimal price) => _fake.Fill(clientOrderId, price);

    protected override async Task ExpireSessionAsync()
    {
        // Bybit sessions are per request; what goes stale is the clock offset: the server's clock jumps.
        (await Adapter.PlaceAsync(Order(), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        _fake.ClockOffsetMs = 20_000;
    }

    [Fact]
    public async Task Should_round_to_the_lot_step_and_tick_and_refuse_below_the_minimum_before_sending()
    {
        var order = Order("limit", quantity: 0.0129m, limit: 49_999.97m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        var sent = _fake.Orders[order.ClientOrderId];
        sent.Qty.ShouldBe(0.012m);
        sent.Price.ShouldBe(49_999.9m, "a buy limit rounds down to the tick");
        sent.Symbol.ShouldBe("BTCUSDT");

        var before = _fake.CreateRequests;
        var tooSmall = await Adapter.PlaceAsync(Order(quantity: 0.0004m), CancellationToken.None);
        tooSmall.Outcome.ShouldBe(PlaceOutcome.Rejected);
        tooSmall.Code.ShouldBe("min_quantity");
        _fake.CreateRequests.ShouldBe(before, "refused locally, never sent");
    }

    [Fact]
    public async Task Should_refuse_an_unknown_symbol_with_a_clear_reason() =>
        (await Adapter.PlaceAsync(Order(symbol: "NOPEUSDT"), CancellationToken.None)).Message.ShouldNotBeNull().ShouldContain("NOPEUSDT");

    [Fact]
    public async Task Should_be_refused_by_the_fake_when_the_signature_is_wrong()
    {
        var options = new BybitOptions
        {
            BaseUrl = _fake.BaseAddress.ToString(),
            ApiKey = FakeBybit.ApiKey,
            ApiSecret = "not-the-secret",
        };
        var impostor = new BybitAdapter(BybitAuthHandler.CreateClient(options, TimeProvider.System), Options.Create(options), TimeProvider.System);
        var placed = await impostor.PlaceAsync(Order(), CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Rejected);
        placed.Code.ShouldBe("10004");
    }
}
