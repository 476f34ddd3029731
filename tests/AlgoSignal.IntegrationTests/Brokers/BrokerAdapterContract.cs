using AlgoSignal.Brokers;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// What every broker adapter must do, run against each broker's in-process fake: every broker's tests
/// inherit this class unchanged and supply the adapter and the fake's levers.
/// </summary>
public abstract class BrokerAdapterContract : IAsyncLifetime
{
    protected IBrokerAdapter Adapter { get; set; } = null!;

    /// <summary>A symbol the broker trades, in TradingView's form.</summary>
    protected abstract string Symbol { get; }

    /// <summary>A symbol the broker refuses orders for (with a business code).</summary>
    protected abstract string RefusedSymbol { get; }

    /// <summary>A price acceptable for limit and stop orders.</summary>
    protected abstract decimal Price { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    protected abstract int OrdersAtBroker(string clientOrderId);

    protected abstract (decimal? TakeProfit, decimal? StopLoss) BracketAtBroker(string clientOrderId);

    protected abstract void FailNext(int count, int status);

    protected abstract int PlacementAttempts();

    protected abstract void HangNextPlacement();

    protected abstract void FillAtBroker(string clientOrderId, decimal price);

    /// <summary>Makes the adapter's session, token or clock stale, as time would.</summary>
    protected abstract Task ExpireSessionAsync();

    protected BrokerOrder Order(string type = "market", decimal quantity = 0.01m, decimal? limit = null, decimal? stop = null, decimal? takeProfit = null, decimal? stopLoss = null, string? symbol = null) =>
        new("as" + Guid.NewGuid().ToString("N")[..30], "acct", symbol ?? Symbol, "buy", quantity, type, limit, stop, "gtc", takeProfit, stopLoss, false, Price);

    [Fact]
    public async Task Should_accept_a_market_order_and_report_its_fill()
    {
        var order = Order();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        placed.BrokerOrderId.ShouldNotBeNullOrWhiteSpace();

        var status = (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull();
        status.BrokerOrderId.ShouldBe(placed.BrokerOrderId);
        status.Status.ShouldBe("filled");
        status.FilledQuantity.ShouldBe(order.Quantity);
        status.AveragePrice.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("limit")]
    [InlineData("stop")]
    [InlineData("stop_limit")]
    public async Task Should_accept_each_order_type_resting(string type)
    {
        var order = Order(type, limit: type is "limit" or "stop_limit" ? Price * 0.9m : null, stop: type is "stop" or "stop_limit" ? Price * 1.1m : null);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull().Status.ShouldBe("accepted");
    }

    [Fact]
    public async Task Should_send_take_profit_and_stop_loss_as_a_bracket()
    {
        var order = Order(takeProfit: Price * 1.1m, stopLoss: Price * 0.9m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        var (tp, sl) = BracketAtBroker(order.ClientOrderId);
        tp.ShouldBe(Price * 1.1m);
        sl.ShouldBe(Price * 0.9m);
    }

    [Fact]
    public async Task Should_report_a_rejection_with_the_brokers_code_and_text()
    {
        var placed = await Adapter.PlaceAsync(Order(symbol: RefusedSymbol), CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Rejected);
        placed.Code.ShouldNotBeNullOrWhiteSpace();
        placed.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Should_treat_a_repeated_client_order_id_as_already_placed()
    {
        var order = Order();
        var first = await Adapter.PlaceAsync(order, CancellationToken.None);
        var second = await Adapter.PlaceAsync(order, CancellationToken.None);
        second.Outcome.ShouldBe(PlaceOutcome.Accepted);
        second.BrokerOrderId.ShouldBe(first.BrokerOrderId);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_leave_exactly_one_order_when_the_answer_times_out_after_it_landed()
    {
        var order = Order();
        HangNextPlacement();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Unknown);

        // What the pipeline does with Unknown: ask by client id before any retry.
        var found = await Adapter.GetOrderAsync(order, CancellationToken.None);
        found.ShouldNotBeNull();
        var retried = await Adapter.PlaceAsync(order, CancellationToken.None);
        retried.Outcome.ShouldBe(PlaceOutcome.Accepted);
        retried.BrokerOrderId.ShouldBe(found.BrokerOrderId);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Should_back_off_and_retry_when_the_broker_is_busy(int status)
    {
        var order = Order();
        var before = PlacementAttempts();
        FailNext(2, status);
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        (PlacementAttempts() - before).ShouldBe(3);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_recover_when_the_session_expires()
    {
        await ExpireSessionAsync();
        var placed = await Adapter.PlaceAsync(Order(), CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
    }

    [Fact]
    public async Task Should_cancel_a_resting_order()
    {
        var order = Order("limit", limit: Price * 0.8m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.CancelAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull().Status.ShouldBe("cancelled");
    }

    [Fact]
    public async Task Should_report_a_later_fill_through_the_order_status()
    {
        var order = Order("limit", limit: Price * 0.95m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        FillAtBroker(order.ClientOrderId, Price * 0.95m);
        var status = (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull();
        status.Status.ShouldBe("filled");
        status.AveragePrice.ShouldBe(Price * 0.95m);
    }

    [Fact]
    public async Task Should_answer_null_for_an_order_the_broker_never_saw() =>
        (await Adapter.GetOrderAsync(Order(), CancellationToken.None)).ShouldBeNull();
}
