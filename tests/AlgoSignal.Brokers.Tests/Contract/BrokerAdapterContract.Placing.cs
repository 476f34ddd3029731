using AlgoSignal.Brokers;
using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>Placing orders: every side, time in force, type and bracket reaches the broker as meant, or is refused before it.</summary>
public abstract partial class BrokerAdapterContract
{
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
    public async Task Should_accept_a_market_order_and_report_its_fill()
    {
        var order = Order();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        placed.BrokerOrderId.ShouldNotBeNullOrWhiteSpace();

        var status = (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull();
        status.BrokerOrderId.ShouldBe(placed.BrokerOrderId);
        status.Status.ShouldBe(OrderStatuses.Filled);
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
        (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull().Status.ShouldBe(OrderStatuses.Accepted);
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
}
