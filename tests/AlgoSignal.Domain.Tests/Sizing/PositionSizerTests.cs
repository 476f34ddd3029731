using AlgoSignal.Domain.Sizing;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Sizing;

public sealed class PositionSizerTests
{
    private static SizingResult Size(SizingRule rule, decimal? alertQuantity = null, decimal? price = 100m, decimal? stop = null, decimal multiplier = 1m, decimal step = 0.01m) =>
        PositionSizer.Size(new SizingInput(rule, multiplier, alertQuantity, price, stop, 10_000m, step, 0m));

    [Fact]
    public void Size_Fixed_UsesQuantityTimesMultiplier() => Size(new SizingRule { Quantity = 2m }, multiplier: 1.5m).Quantity.ShouldBe(3m);

    [Fact]
    public void Size_AlertQuantity_Wins() => Size(new SizingRule { Quantity = 2m }, alertQuantity: 0.5m).Quantity.ShouldBe(0.5m);

    [Fact]
    public void Size_Notional_DividesByPrice() => Size(new SizingRule { Mode = SizingModes.Notional, Amount = 1_000m }, price: 300m).Quantity.ShouldBe(3.33m);

    [Fact]
    public void Size_PercentEquity() => Size(new SizingRule { Mode = SizingModes.PercentEquity, Percent = 10m }).Quantity.ShouldBe(10m);

    [Fact]
    public void Size_RiskPercent_UsesStopDistance() =>
        Size(new SizingRule { Mode = SizingModes.RiskPercent, Percent = 1m }, price: 100m, stop: 95m).Quantity.ShouldBe(20m);

    [Fact]
    public void Size_RiskPercentWithoutStop_IsRejected() =>
        Size(new SizingRule { Mode = SizingModes.RiskPercent, Percent = 1m }).RejectionReason.ShouldNotBeNull().ShouldContain("stop_loss");

    [Fact]
    public void Size_BelowLotStep_IsRejectedNotZero() =>
        Size(new SizingRule { Quantity = 0.004m }).IsRejected.ShouldBeTrue();
}
