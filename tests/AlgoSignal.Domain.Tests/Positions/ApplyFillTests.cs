using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Positions;

/// <summary>The one fill rule, paper (with fees) and live (without) alike.</summary>
public sealed class ApplyFillTests
{
    private static Fill Buy(decimal quantity, decimal price, OrderIntent intent = OrderIntent.Entry, decimal fee = 0m) => new(OrderSide.Buy, intent, quantity, price, fee);

    private static Fill Sell(decimal quantity, decimal price, OrderIntent intent = OrderIntent.Exit, decimal fee = 0m) => new(OrderSide.Sell, intent, quantity, price, fee);

    [Fact]
    public void Opening_StartsTheFirstEntry()
    {
        var result = PositionState.Flat.ApplyFill(Buy(2m, 100m));
        result.Position.ShouldBe(new PositionState(2m, 100m, 0m, Entries: 1));
        result.RealizedPnl.ShouldBe(0m);
    }

    [Fact]
    public void Adding_AveragesThePriceAndCountsAnEntry() =>
        new PositionState(1m, 100m, 0m, 1).ApplyFill(Buy(3m, 200m)).Position.ShouldBe(new PositionState(4m, 175m, 0m, 2));

    [Fact]
    public void Reducing_RealisesPnlAndKeepsTheEntries()
    {
        var result = new PositionState(4m, 100m, 0m, 2).ApplyFill(Sell(1m, 110m));
        result.Position.ShouldBe(new PositionState(3m, 100m, 10m, 2));
        result.RealizedPnl.ShouldBe(10m);
    }

    [Fact]
    public void Closing_LeavesAFlatPositionWithNoEntries()
    {
        var result = new PositionState(-2m, 100m, 5m, 3).ApplyFill(Buy(2m, 90m, OrderIntent.Exit));
        result.Position.ShouldBe(new PositionState(0m, 0m, 25m, 0));
        result.RealizedPnl.ShouldBe(20m);
    }

    [Fact]
    public void Flipping_ThroughZero_RestartsAtOneEntryAtTheFillPrice()
    {
        var result = new PositionState(1m, 100m, 0m, 2).ApplyFill(Sell(3m, 120m, OrderIntent.Entry));
        result.Position.ShouldBe(new PositionState(-2m, 120m, 20m, 1));
        result.RealizedPnl.ShouldBe(20m);
    }

    [Fact]
    public void Flipping_ByAnExitFill_StillRestartsAtOneEntry() =>
        new PositionState(1m, 100m, 0m, 4).ApplyFill(Sell(2m, 100m)).Position.Entries.ShouldBe(1);

    [Fact]
    public void AnExitFillThatAdds_DoesNotCountAnEntry() =>
        new PositionState(1m, 100m, 0m, 1).ApplyFill(Buy(1m, 100m, OrderIntent.Exit)).Position.Entries.ShouldBe(1);

    [Fact]
    public void Fees_AreTakenFromTheOrdersPnlNotThePositions()
    {
        var opened = PositionState.Flat.ApplyFill(Buy(1m, 100m, fee: 0.5m));
        opened.RealizedPnl.ShouldBe(-0.5m, "an opening fill realises only its fee");
        var closed = opened.Position.ApplyFill(Sell(1m, 110m, fee: 0.55m));
        closed.RealizedPnl.ShouldBe(9.45m);
        closed.Position.RealizedPnl.ShouldBe(10m);
    }

    [Fact]
    public void Fees_AreBasisPointsOfTheNotionalTo8Places()
    {
        Fill.FeeOf(3m, 100m, 10m).ShouldBe(0.3m);
        Fill.FeeOf(1m, 1m / 3m, 1m).ShouldBe(0.00003333m);
        Fill.FeeOf(5m, 100m, 0m).ShouldBe(0m);
    }

    [Fact]
    public void CashDelta_PaysForABuyAndIsPaidForASell()
    {
        Buy(2m, 100m, fee: 1m).CashDelta.ShouldBe(-201m);
        Sell(2m, 100m, fee: 1m).CashDelta.ShouldBe(199m);
    }

    [Fact]
    public void Between_CumulativeReports_IsTheFillAtThePriceThatMakesTheNewAverage()
    {
        var fill = Fill.Between(OrderSide.Buy, OrderIntent.Entry, 1m, 100m, 3m, 110m).ShouldNotBeNull();
        (fill.Quantity, fill.Price).ShouldBe((2m, 115m));
        Fill.Between(OrderSide.Buy, OrderIntent.Entry, 0m, null, 2m, 100m).ShouldNotBeNull().Price.ShouldBe(100m);
        Fill.Between(OrderSide.Buy, OrderIntent.Entry, 3m, 110m, 3m, 110m).ShouldBeNull("the same report twice is one fill");
        Fill.Between(OrderSide.Buy, OrderIntent.Entry, 0m, null, 2m, null).ShouldBeNull("no price, nothing to apply");
    }
}
