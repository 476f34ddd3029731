using AlgoSignal.Brokers;
using AlgoSignal.Brokers.TradeStation;
using AlgoSignal.Brokers.Tests.Fakes;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>The adapter contract against the TradeStation v3 fake, plus TradeStation's own rules.</summary>
public sealed class Trading_on_tradestation : BrokerAdapterContract
{
    private FakeTradeStation _fake = null!;
    private readonly InMemoryRefreshTokenStore _store = new();

    protected override string Symbol => "NYSE:IBM";

    protected override string RefusedSymbol => "REJECT";

    protected override decimal Price => 150m;

    public override async Task InitializeAsync()
    {
        _fake = await FakeTradeStation.StartAsync();
        var options = Options.Create(new TradeStationOptions
        {
            BaseUrl = new Uri(_fake.BaseAddress, "/v3").ToString(),
            TokenUrl = _fake.TokenUrl.ToString(),
            ClientId = FakeTradeStation.ClientId,
            ClientSecret = FakeTradeStation.ClientSecret,
            RefreshToken = FakeTradeStation.FirstRefreshToken,
            AccountId = "SIM123456",
            TimeoutSeconds = 3,
        });
        Adapter = new TradeStationAdapter(TradeStationAuthHandler.CreateClient(new TradeStationSession(options, _store, TimeProvider.System)), options, TimeProvider.System);
    }

    public override async Task DisposeAsync() => await _fake.DisposeAsync();

    protected override int OrdersAtBroker(string clientOrderId) => _fake.Orders.Values.Count(o => o.ConfirmId == TradeStationAdapter.ConfirmId(clientOrderId));

    protected override (decimal? TakeProfit, decimal? StopLoss) BracketAtBroker(string clientOrderId)
    {
        var order = _fake.Orders[TradeStationAdapter.ConfirmId(clientOrderId)];
        return (order.TakeProfit, order.StopLoss);
    }

    protected override void FailNext(int count, int status) => _fake.FailNext(count, status);

    protected override IReadOnlyCollection<string> RequestBodies() => _fake.RequestBodies;

    protected override void OpenPositionElsewhere(string brokerSymbol, decimal quantity) => _fake.OutsidePositions[brokerSymbol] = quantity;

    protected override string SideAtBroker(string clientOrderId) => _fake.Orders[TradeStationAdapter.ConfirmId(clientOrderId)].Action;

    protected override void AnswerNextPlacementWith(CannedAnswer answer) => _fake.AnswerNextPlacementWith(answer);

    protected override int PlacementAttempts() => _fake.PlaceRequests;

    protected override void HangNextPlacement() => _fake.HangNextPlacement();

    protected override void FillAtBroker(string clientOrderId, decimal price) => _fake.Fill(TradeStationAdapter.ConfirmId(clientOrderId), price);

    protected override async Task ExpireSessionAsync()
    {
        (await Adapter.PlaceAsync(Order(), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        _fake.ExpireAccessTokens();
    }

    [Fact]
    public async Task Should_store_the_rotated_refresh_token()
    {
        (await Adapter.PlaceAsync(Order(), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await _store.LoadAsync("tradestation", CancellationToken.None)).ShouldBe(_fake.CurrentRefreshToken);
        _fake.CurrentRefreshToken.ShouldNotBe(FakeTradeStation.FirstRefreshToken, "the first token was used and revoked");

        _fake.ExpireAccessTokens();
        (await Adapter.PlaceAsync(Order(), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted, "the stored token refreshes again");
    }

    [Theory]
    [InlineData("buy", false, "BUY")]
    [InlineData("sell", false, "SELLSHORT")]
    [InlineData("sell", true, "SELL")]
    [InlineData("buy", true, "BUYTOCOVER")]
    public async Task Should_choose_the_trade_action_by_intent(string side, bool reduceOnly, string action)
    {
        var order = Order() with { Side = side, ReduceOnly = reduceOnly };
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        _fake.Orders[TradeStationAdapter.ConfirmId(order.ClientOrderId)].Action.ShouldBe(action);
    }
}
