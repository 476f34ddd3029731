using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Decisions;

public sealed class LegNeedsTests
{
    private static readonly StrategyDefinition Fixed = new() { Name = "s", MaxOrdersPerMinute = 0 };
    private static readonly SignalLeg Entry = new(0, SignalIntent.Entry, OrderSide.Buy, null);
    private static readonly SignalLeg Exit = new(0, SignalIntent.Exit, OrderSide.Sell, 1m);

    private static StrategyDefinition Percent(string mode) => Fixed with { Sizing = new SizingRule { Mode = mode, Percent = 1m } };

    [Fact]
    public void For_FixedSizingWithoutLimits_NeedsNothing() => LegNeeds.For(Fixed, Entry, isPaper: true).ShouldBe(new LegNeeds(false, false, false));

    [Fact]
    public void For_OrdersPerMinuteLimit_NeedsTheCount() => LegNeeds.For(Fixed with { MaxOrdersPerMinute = 5 }, Exit, isPaper: true).OrdersLastMinute.ShouldBeTrue();

    [Fact]
    public void For_DailyLoss_NeedsTodaysPnlForEntriesOnly()
    {
        var strategy = Fixed with { MaxDailyLoss = 100m };

        LegNeeds.For(strategy, Entry, isPaper: true).RealizedPnlToday.ShouldBeTrue();
        LegNeeds.For(strategy, Exit, isPaper: true).RealizedPnlToday.ShouldBeFalse();
    }

    [Theory]
    [InlineData(SizingModes.PercentEquity)]
    [InlineData(SizingModes.RiskPercent)]
    public void For_PercentSizing_NeedsEquityOnPaperWhenTheAlertGivesNoQuantity(string mode)
    {
        LegNeeds.For(Percent(mode), Entry, isPaper: true).Equity.ShouldBeTrue();
        LegNeeds.For(Percent(mode), Entry, isPaper: false).Equity.ShouldBeFalse();
        LegNeeds.For(Percent(mode), Entry with { Quantity = 1m }, isPaper: true).Equity.ShouldBeFalse();
        LegNeeds.For(Percent(mode), Exit with { Quantity = null }, isPaper: true).Equity.ShouldBeFalse();
    }

    [Fact]
    public void For_NotionalSizing_NeedsNoEquity() =>
        LegNeeds.For(Fixed with { Sizing = new SizingRule { Mode = SizingModes.Notional, Amount = 1m } }, Entry, isPaper: true).Equity.ShouldBeFalse();
}
