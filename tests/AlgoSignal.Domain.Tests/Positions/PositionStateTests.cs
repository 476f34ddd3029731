using AlgoSignal.Domain.Positions;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Positions;

public sealed class PositionStateTests
{
    [Fact]
    public void Apply_AddsAtWeightedAverage() =>
        PositionState.Flat.Apply(1m, 100m).Apply(3m, 200m).ShouldBe(new PositionState(4m, 175m, 0m));

    [Fact]
    public void Apply_ReducingRealisesPnl() =>
        new PositionState(4m, 100m, 0m).Apply(-1m, 110m).ShouldBe(new PositionState(3m, 100m, 10m));

    [Fact]
    public void Apply_ShortCoverRealisesPnl() =>
        new PositionState(-2m, 100m, 0m).Apply(2m, 90m).ShouldBe(new PositionState(0m, 0m, 20m));

    [Fact]
    public void Apply_FlipThroughZero_NewAverageIsFillPrice() =>
        new PositionState(1m, 100m, 0m).Apply(-3m, 120m).ShouldBe(new PositionState(-2m, 120m, 20m));
}
