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

    /// <summary>Every request body the fake received, as sent.</summary>
    protected abstract IReadOnlyCollection<string> RequestBodies();

    /// <summary>The side (or trade action) the broker recorded for the order, in the broker's words.</summary>
    protected abstract string SideAtBroker(string clientOrderId);

    /// <summary>The next placement is answered with <paramref name="answer"/> and not placed.</summary>
    protected abstract void AnswerNextPlacementWith(CannedAnswer answer);

    /// <summary>The account at the broker gains a position AlgoSignal did not make (broker symbol, signed quantity).</summary>
    protected abstract void OpenPositionElsewhere(string brokerSymbol, decimal quantity);

    [Fact]
    public async Task Should_report_every_position_including_one_opened_elsewhere()
    {
        var order = Order(quantity: 3m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        var symbol = Adapter.BrokerSymbol(Symbol);
        OpenPositionElsewhere(symbol, -5m);

        var positions = await Adapter.GetPositionsAsync(CancellationToken.None);
        var position = positions.ShouldHaveSingleItem();
        position.Symbol.ShouldBe(symbol, StringCompareShould.IgnoreCase);
        position.Quantity.ShouldBe(-2m, "3 bought here, 5 sold short elsewhere");
    }

    protected BrokerOrder Order(
        string type = "market", decimal quantity = 0.01m, decimal? limit = null, decimal? stop = null, decimal? takeProfit = null, decimal? stopLoss = null,
        string? symbol = null, string side = "buy", bool reduceOnly = false, string timeInForce = "gtc") =>
        new("as" + Guid.NewGuid().ToString("N")[..30], "acct", symbol ?? Symbol, side, quantity, type, limit, stop, timeInForce, takeProfit, stopLoss, reduceOnly, Price);

    [Theory]
    [InlineData("sell", false)]
    [InlineData("sell", true)]
    [InlineData("buy", true)]
    public async Task Should_send_sells_shorts_and_closes_on_the_right_side(string side, bool reduceOnly)
    {
        var order = Order(side: side, reduceOnly: reduceOnly);
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
        SideAtBroker(order.ClientOrderId).ToUpperInvariant().ShouldStartWith(side == "buy" ? "BUY" : "SELL");
    }

    [Theory]
    [InlineData("day")]
    [InlineData("gtc")]
    [InlineData("ioc")]
    [InlineData("fok")]
    public async Task Should_map_each_time_in_force_or_refuse_it_before_sending(string timeInForce)
    {
        var order = Order("limit", limit: Price * 0.9m, timeInForce: timeInForce);
        var before = PlacementAttempts();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        if (Adapter.Capabilities.TimesInForce.Contains(timeInForce))
        {
            placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
            OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
        }
        else
        {
            placed.Outcome.ShouldBe(PlaceOutcome.Rejected);
            placed.Message.ShouldNotBeNull().ShouldContain(timeInForce);
            PlacementAttempts().ShouldBe(before, "an unsupported time in force never reaches the broker");
        }
    }

    [Theory]
    [InlineData("trailing_stop")]
    [InlineData("market_on_close")]
    [InlineData("")]
    public async Task Should_refuse_an_unknown_order_type_and_never_widen_it_into_a_market_order(string type)
    {
        var order = Order(type, limit: Price * 0.9m, stop: Price * 1.1m);
        var before = PlacementAttempts();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Rejected);
        placed.Code.ShouldBe("unsupported");
        PlacementAttempts().ShouldBe(before);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(0);
    }

    [Fact]
    public async Task Should_send_canonical_numbers_with_an_exact_content_length()
    {
        // Decimals keep the scale they were computed with: 0.0100000 and 45000.000 must go out as 0.01 and 45000.
        var order = Order("limit", quantity: 0.0100000m, limit: decimal.Round(Price * 0.9m, 0) + 0.000m, takeProfit: Price * 1.2000m, stopLoss: Price * 0.8000m);
        var before = RequestBodies().Count;
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);

        // The fake refuses (411) any body without a Content-Length, and keeps every body it accepted.
        var sent = RequestBodies().ToList()[before..];
        sent.ShouldNotBeEmpty();
        foreach (var body in sent)
        {
            System.Text.RegularExpressions.Regex.Matches(body, @"(?<![\w.])\d+\.\d*0(?![\d])").Select(m => m.Value).ShouldBeEmpty(body);
            System.Text.RegularExpressions.Regex.IsMatch(body, @"(?<![\w.])\d+(\.\d+)?[eE][+-]?\d").ShouldBeFalse(body);
        }
    }

    [Fact]
    public async Task Should_settle_a_non_json_200_answer_without_throwing_and_place_once()
    {
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(200, "text/plain", "OK"));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBeOneOf(PlaceOutcome.Unknown, PlaceOutcome.Accepted);

        // What the pipeline does next: ask by client order id, then place only if the broker never saw it.
        if (placed.Outcome == PlaceOutcome.Unknown && await Adapter.GetOrderAsync(order, CancellationToken.None) is null)
        {
            (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        }

        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_settle_a_json_answer_in_an_unexpected_shape_as_unknown_and_place_once()
    {
        // Valid JSON, but no broker answers an order with a list of strings: the transport classifies it, nothing throws.
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(200, "application/json", """["unexpected", "shape"]"""));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Unknown, placed.Message);
        placed.Message.ShouldNotBeNull().ShouldContain("expected JSON");

        if (await Adapter.GetOrderAsync(order, CancellationToken.None) is null)
        {
            (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        }

        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_retry_past_an_html_error_page_and_place_once()
    {
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

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
    public async Task Should_list_working_orders_until_they_fill()
    {
        var resting = Order("limit", limit: Price * 0.9m, side: "sell");
        (await Adapter.PlaceAsync(resting, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.PlaceAsync(Order(), CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);

        var working = (await Adapter.GetOpenOrdersAsync(CancellationToken.None)).ShouldHaveSingleItem("the filled market order is not working");
        working.ClientOrderId.ShouldNotBeNullOrEmpty();
        resting.ClientOrderId.ShouldStartWith(working.ClientOrderId, Case.Sensitive, "the broker echoes the client order id (or its first characters)");
        working.Symbol.ShouldBe(Adapter.BrokerSymbol(Symbol), StringCompareShould.IgnoreCase);
        working.Side.ShouldBe("sell");
        working.Quantity.ShouldBe(resting.Quantity);
        working.OpenQuantity.ShouldBe(resting.Quantity);

        FillAtBroker(resting.ClientOrderId, Price * 0.9m);
        (await Adapter.GetOpenOrdersAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_answer_null_for_an_order_the_broker_never_saw() =>
        (await Adapter.GetOrderAsync(Order(), CancellationToken.None)).ShouldBeNull();
}
