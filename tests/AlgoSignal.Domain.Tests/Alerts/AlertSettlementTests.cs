using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Alerts;

/// <summary>One test per row of <see cref="AlertSettlement"/>'s table.</summary>
public sealed class AlertSettlementTests
{
    private static (AlertStatus Status, string? Reason)? Settle(AlertStatus current, params (OrderStatus, string?)[] orders) => AlertSettlement.Settle(current, orders);

    [Fact]
    public void AnAlertNoLongerWaiting_DoesNotMove()
    {
        Settle(AlertStatus.Filled, (OrderStatus.Rejected, "no")).ShouldBeNull();
        Settle(AlertStatus.Cancelled, (OrderStatus.Filled, null)).ShouldBeNull();
        Settle(AlertStatus.PartiallyExecuted, (OrderStatus.Filled, null)).ShouldBeNull();
    }

    [Fact]
    public void NoMainOrders_DoesNotMove() => Settle(AlertStatus.Ordered).ShouldBeNull();

    [Fact]
    public void AllFilled_IsFilled()
    {
        Settle(AlertStatus.Ordered, (OrderStatus.Filled, null), (OrderStatus.Filled, null)).ShouldBe((AlertStatus.Filled, null));
        Settle(AlertStatus.PartiallyFilled, (OrderStatus.Filled, null)).ShouldBe((AlertStatus.Filled, null));
    }

    [Fact]
    public void AnyFilledOrPartiallyFilled_IsPartiallyFilled()
    {
        Settle(AlertStatus.Ordered, (OrderStatus.Filled, null), (OrderStatus.Accepted, null)).ShouldBe((AlertStatus.PartiallyFilled, null));
        Settle(AlertStatus.Ordered, (OrderStatus.PartiallyFilled, null)).ShouldBe((AlertStatus.PartiallyFilled, null));
        Settle(AlertStatus.Ordered, (OrderStatus.Filled, null), (OrderStatus.Rejected, "entry refused")).ShouldBe((AlertStatus.PartiallyFilled, null));
        Settle(AlertStatus.Ordered, (OrderStatus.Filled, null), (OrderStatus.Cancelled, null)).ShouldBe((AlertStatus.PartiallyFilled, null));
        Settle(AlertStatus.PartiallyFilled, (OrderStatus.PartiallyFilled, null)).ShouldBeNull("already so");
    }

    [Fact]
    public void AllRejected_IsRejectedWithTheFirstReason() =>
        Settle(AlertStatus.Ordered, (OrderStatus.Rejected, "bybit rejected it (110007)"), (OrderStatus.Rejected, "second")).ShouldBe((AlertStatus.Rejected, "bybit rejected it (110007)"));

    [Fact]
    public void AllRejectedFailedOrCancelled_IsFailedWithTheFailedReason()
    {
        Settle(AlertStatus.Ordered, (OrderStatus.Rejected, "refused"), (OrderStatus.Failed, "broker gone")).ShouldBe((AlertStatus.Failed, "broker gone"));
        Settle(AlertStatus.Ordered, (OrderStatus.Cancelled, "cancelled at the broker"), (OrderStatus.Rejected, "refused")).ShouldBe((AlertStatus.Failed, "refused"));
        Settle(AlertStatus.Ordered, (OrderStatus.Cancelled, null)).ShouldBe((AlertStatus.Failed, null));
    }

    [Fact]
    public void SomeStillOpenAndNoneFilled_DoesNotMove()
    {
        foreach (var open in new[] { OrderStatus.Submitting, OrderStatus.Unknown, OrderStatus.Accepted, OrderStatus.Cancelling })
        {
            Settle(AlertStatus.Ordered, (OrderStatus.Rejected, "refused"), (open, null)).ShouldBeNull(open.ToString());
        }
    }
}
