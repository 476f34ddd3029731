using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Signals;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Decisions;

public sealed class RouteOutcomesTests
{
    private static readonly RouteResult Filled = new(AlertStatuses.Filled, null);

    [Fact]
    public void Combine_EveryRouteFilled_IsFilled() => RouteOutcomes.Combine([Filled, Filled]).ShouldBe(Filled);

    [Fact]
    public void Combine_LastUnfilledStatusWins_FirstReasonIsKept() =>
        RouteOutcomes.Combine([
            Filled,
            new RouteResult(AlertStatuses.RiskRejected, "first"),
            new RouteResult(AlertStatuses.Rejected, "second"),
            new RouteResult(AlertStatuses.Ordered, null),
            Filled,
        ]).ShouldBe(new RouteResult(AlertStatuses.Ordered, "first"));

    [Fact]
    public void Combine_ReasonComesFromTheFirstUnfilledRouteThatGivesOne() =>
        RouteOutcomes.Combine([new RouteResult(AlertStatuses.Ordered, null), new RouteResult(AlertStatuses.Rejected, "why")])
            .ShouldBe(new RouteResult(AlertStatuses.Rejected, "why"));

    [Fact]
    public void Refused_NothingPlaced_IsRiskRejectedWithTheSummary() =>
        RouteOutcomes.Refused([], SignalIntent.Entry, "max_positions", "5 positions are open; the strategy allows 5.")
            .ShouldBe(new RouteResult(AlertStatuses.RiskRejected, "5 positions are open; the strategy allows 5."));

    [Fact]
    public void Refused_AfterAPlacedExit_IsPartiallyExecutedNamingBoth() =>
        RouteOutcomes.Refused([new PlacedLeg(OrderIntents.Exit, OrderSides.Sell, 2.5m, Filled: true)], SignalIntent.Entry, "allow_short", "The strategy does not allow short positions.")
            .ShouldBe(new RouteResult(AlertStatuses.PartiallyExecuted,
                "Partially executed: the exit (sell 2.5) filled; the entry was rejected by rule allow_short: The strategy does not allow short positions."));

    [Fact]
    public void Refused_AfterOrdersPlacedNotFilled_SaysTheyWerePlaced() =>
        RouteOutcomes.Refused(
            [new PlacedLeg(OrderIntents.Exit, OrderSides.Buy, 1m, Filled: false), new PlacedLeg(OrderIntents.Entry, OrderSides.Buy, 0.00000001m, Filled: true)],
            SignalIntent.Exit, "r", "why").Reason
            .ShouldBe("Partially executed: the exit (buy 1) was placed and the entry (buy 0.00000001) filled; the exit was rejected by rule r: why");

    [Theory]
    [InlineData(0, "No resting orders to cancel.")]
    [InlineData(2, "2 resting order(s) cancelled.")]
    public void CancelledOnPaper_CountsTheOrders(int count, string reason) =>
        RouteOutcomes.CancelledOnPaper(count).ShouldBe(new RouteResult(AlertStatuses.Cancelled, reason));

    [Theory]
    [InlineData(0, "No resting orders to cancel.")]
    [InlineData(3, "3 resting order(s) being cancelled.")]
    public void CancellingAtBroker_CountsTheOrders(int count, string reason) =>
        RouteOutcomes.CancellingAtBroker(count).ShouldBe(new RouteResult(AlertStatuses.Cancelled, reason));
}
