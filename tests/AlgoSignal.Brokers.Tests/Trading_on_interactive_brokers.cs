using AlgoSignal.Brokers;
using AlgoSignal.Brokers.InteractiveBrokers;
using AlgoSignal.Brokers.Tests.Fakes;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>The adapter contract against the Client Portal Gateway fake, plus IBKR's own rules.</summary>
public sealed class Trading_on_interactive_brokers : BrokerAdapterContract
{
    private FakeInteractiveBrokers _fake = null!;

    protected override string Symbol => "NASDAQ:AAPL";

    protected override string RefusedSymbol => "REJECT";

    protected override decimal Price => 190m;

    public override async Task InitializeAsync()
    {
        _fake = await FakeInteractiveBrokers.StartAsync();
        var options = new InteractiveBrokersOptions
        {
            BaseUrl = _fake.BaseAddress.ToString(),
            AccountId = "DU1234567",
            TimeoutSeconds = 3,
        };
        Adapter = new InteractiveBrokersAdapter(InteractiveBrokersSessionHandler.CreateClient(options, TimeProvider.System), Options.Create(options), TimeProvider.System);
    }

    public override async Task DisposeAsync() => await _fake.DisposeAsync();

    protected override int OrdersAtBroker(string clientOrderId) => _fake.Orders.Values.Count(o => o.COid == clientOrderId);

    protected override (decimal? TakeProfit, decimal? StopLoss) BracketAtBroker(string clientOrderId) =>
        (_fake.Orders.Values.Single(o => o.ParentId == clientOrderId && o.Type == "LMT").Price, _fake.Orders.Values.Single(o => o.ParentId == clientOrderId && o.Type == "STP").Price);

    protected override void FailNext(int count, int status) => _fake.FailNext(count, status);

    protected override IReadOnlyCollection<string> RequestBodies() => _fake.RequestBodies;

    protected override void OpenPositionElsewhere(string brokerSymbol, decimal quantity) => _fake.OutsidePositions[brokerSymbol] = quantity;

    protected override string SideAtBroker(string clientOrderId) => _fake.Orders[clientOrderId].Side;

    protected override void AnswerNextPlacementWith(CannedAnswer answer) => _fake.AnswerNextPlacementWith(answer);

    protected override int PlacementAttempts() => _fake.PlaceRequests;

    protected override void HangNextPlacement() => _fake.HangNextPlacement();

    protected override void FillAtBroker(string clientOrderId, decimal price) => _fake.Fill(clientOrderId, price);

    protected override async Task ExpireSessionAsync()
    {
        (await Adapter.PlaceAsync(Order("limit", limit: Price * 0.9m), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        _fake.ExpireSession();
    }

    [Fact]
    public async Task Should_open_the_session_answer_the_prompts_and_keep_the_session_alive()
    {
        var placed = await Adapter.PlaceAsync(Order(), CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        _fake.SessionInits.ShouldBe(1, "an unauthenticated gateway is brought up with ssodh/init");
        _fake.Tickles.ShouldBeGreaterThan(0);
        _fake.Replies.ShouldBe(2, "both 'are you sure' prompts were confirmed");
    }

    [Fact]
    public async Task Should_send_the_stop_price_in_price_for_a_stop_and_in_aux_price_for_a_stop_limit()
    {
        var stop = Order("stop", stop: 200m);
        await Adapter.PlaceAsync(stop, CancellationToken.None);
        _fake.Orders[stop.ClientOrderId].Price.ShouldBe(200m);
        var stopLimit = Order("stop_limit", limit: 201m, stop: 200m);
        await Adapter.PlaceAsync(stopLimit, CancellationToken.None);
        _fake.Orders[stopLimit.ClientOrderId].Price.ShouldBe(201m);
        _fake.Orders[stopLimit.ClientOrderId].AuxPrice.ShouldBe(200m);
    }

    [Fact]
    public void Should_count_only_accounts_outside_paper_as_live()
    {
        new InteractiveBrokersOptions { AccountId = "DU1234567" }.IsLive.ShouldBeFalse();
        new InteractiveBrokersOptions { AccountId = "U7654321" }.IsLive.ShouldBeTrue();
    }
}
