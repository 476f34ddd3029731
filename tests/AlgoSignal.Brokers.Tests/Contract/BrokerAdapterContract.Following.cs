using AlgoSignal.Brokers;
using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>After placing: cancelling, fills, working orders and positions as the broker reports them.</summary>
public abstract partial class BrokerAdapterContract
{
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

    [Fact]
    public async Task Should_cancel_a_resting_order()
    {
        var order = Order("limit", limit: Price * 0.8m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.CancelAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull().Status.ShouldBe(OrderStatuses.Cancelled);
    }

    [Fact]
    public async Task Should_report_a_later_fill_through_the_order_status()
    {
        var order = Order("limit", limit: Price * 0.95m);
        (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        FillAtBroker(order.ClientOrderId, Price * 0.95m);
        var status = (await Adapter.GetOrderAsync(order, CancellationToken.None)).ShouldNotBeNull();
        status.Status.ShouldBe(OrderStatuses.Filled);
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
