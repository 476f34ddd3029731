using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Orders;

public sealed class BracketsTests
{
    private static readonly Guid Alert = Guid.Parse("7f1c1a52-3e2e-4d55-9d0b-0c0d9e1f2a3b");
    private static readonly BracketMember MainLeg = new(Alert, 1, OrderRoles.Main);

    private static OrderToPlace Entry(string side, decimal? takeProfit, decimal? stopLoss) =>
        new(side, OrderIntents.Entry, 5m, AlertOrderTypes.Market, null, null, AlertTimeInForce.Day, takeProfit, stopLoss);

    [Fact]
    public void A_filled_long_entry_gets_a_take_profit_limit_and_a_stop_loss_stop_on_the_sell_side_for_the_filled_quantity()
    {
        var children = Brackets.ChildrenOf(MainLeg, Entry(OrderSides.Buy, 120m, 90m), filledQuantity: 4m);

        children.Select(c => c.Role).ShouldBe([OrderRoles.TakeProfit, OrderRoles.StopLoss]);
        var (_, takeProfit) = children[0];
        takeProfit.ShouldBe(new OrderToPlace(OrderSides.Sell, OrderIntents.Exit, 4m, AlertOrderTypes.Limit, 120m, null, AlertTimeInForce.Gtc, null, null));
        var (_, stopLoss) = children[1];
        stopLoss.ShouldBe(new OrderToPlace(OrderSides.Sell, OrderIntents.Exit, 4m, AlertOrderTypes.Stop, null, 90m, AlertTimeInForce.Gtc, null, null));
    }

    [Fact]
    public void A_short_entry_is_protected_on_the_buy_side_and_only_by_the_prices_it_names()
    {
        var children = Brackets.ChildrenOf(MainLeg, Entry(OrderSides.Sell, null, 110m), filledQuantity: 5m);

        children.Count.ShouldBe(1);
        children[0].Role.ShouldBe(OrderRoles.StopLoss);
        children[0].Order.Side.ShouldBe(OrderSides.Buy);
    }

    [Fact]
    public void Exits_children_and_unfilled_entries_get_no_children()
    {
        var exit = Entry(OrderSides.Sell, 120m, 90m) with { Intent = OrderIntents.Exit };
        Brackets.ChildrenOf(MainLeg, exit, 5m).ShouldBeEmpty();
        Brackets.ChildrenOf(MainLeg with { Role = OrderRoles.TakeProfit }, Entry(OrderSides.Buy, 120m, 90m), 5m).ShouldBeEmpty();
        Brackets.ChildrenOf(MainLeg, Entry(OrderSides.Buy, 120m, 90m), 0m).ShouldBeEmpty();
        Brackets.ChildrenOf(MainLeg, Entry(OrderSides.Buy, null, null), 5m).ShouldBeEmpty();
    }

    [Fact]
    public void A_filled_child_cancels_its_sibling_but_not_another_legs_children_while_a_position_remains()
    {
        var takeProfit = MainLeg with { Role = OrderRoles.TakeProfit };
        var sibling = MainLeg with { Role = OrderRoles.StopLoss };
        var otherLeg = new BracketMember(Alert, 2, OrderRoles.StopLoss);
        var otherAlert = new BracketMember(Guid.NewGuid(), 1, OrderRoles.StopLoss);

        Brackets.CancelReason(takeProfit, flat: false, sibling).ShouldBe("take_profit filled (one cancels the other)");
        Brackets.CancelReason(takeProfit, flat: false, otherLeg).ShouldBeNull();
        Brackets.CancelReason(takeProfit, flat: false, otherAlert).ShouldBeNull();
    }

    [Fact]
    public void A_flat_position_leaves_no_protective_child_resting_and_never_touches_main_orders()
    {
        var otherAlert = new BracketMember(Guid.NewGuid(), 1, OrderRoles.TakeProfit);
        var restingLimit = new BracketMember(Guid.NewGuid(), 1, OrderRoles.Main);

        Brackets.CancelReason(MainLeg, flat: true, otherAlert).ShouldBe("position closed");
        Brackets.CancelReason(MainLeg, flat: true, restingLimit).ShouldBeNull();
        Brackets.CancelReason(MainLeg, flat: false, otherAlert).ShouldBeNull();
        Brackets.CancelReason(MainLeg with { Role = OrderRoles.StopLoss }, flat: true, restingLimit).ShouldBeNull();
    }

    [Fact]
    public void Order_types_and_times_in_force_round_trip_through_their_stored_text()
    {
        foreach (var type in Enum.GetValues<OrderType>())
        {
            AlertOrderTypes.Parse(type.ToText()).ShouldBe(type);
            AlertOrderTypes.All.ShouldContain(type.ToText());
        }

        foreach (var timeInForce in Enum.GetValues<TimeInForce>())
        {
            AlertTimeInForce.Parse(timeInForce.ToText()).ShouldBe(timeInForce);
            AlertTimeInForce.All.ShouldContain(timeInForce.ToText());
        }

        OrderType.StopLimit.ToText().ShouldBe("stop_limit");
        Should.Throw<FormatException>(() => AlertOrderTypes.Parse("Limit"));
        Should.Throw<FormatException>(() => AlertTimeInForce.Parse("GTC"));
    }
}
