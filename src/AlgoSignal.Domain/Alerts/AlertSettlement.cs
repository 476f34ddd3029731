using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// The one rule that says what an alert became from its main orders (bracket children do not count), however its
/// orders moved: a paper price crossing a resting order, a live broker's answer to the submission, a polled or
/// streamed fill. Only an alert still waiting on its orders (<c>ordered</c> or <c>partially_filled</c>) moves; every
/// other state is final as decided. The rows, first match wins:
/// <list type="table">
/// <listheader><term>main orders</term><description>the alert becomes</description></listheader>
/// <item><term>none</term><description>unchanged</description></item>
/// <item><term>all filled</term><description><c>filled</c></description></item>
/// <item><term>any filled or partially filled (others open or ended)</term><description><c>partially_filled</c></description></item>
/// <item><term>all rejected</term><description><c>rejected</c>, with the first order's reason</description></item>
/// <item><term>all rejected, failed or cancelled</term><description><c>failed</c>, with the first failed order's reason (else the first rejected's, else the first cancelled's)</description></item>
/// <item><term>otherwise (some still submitting, unknown, accepted or cancelling, none filled)</term><description>unchanged</description></item>
/// </list>
/// A result equal to the alert's state is no change.
/// </summary>
public static class AlertSettlement
{
    /// <summary>Whether an alert in this state still waits on its orders, so that <see cref="Settle"/> may move it.</summary>
    public static bool Awaits(AlertStatus current) => current is AlertStatus.Ordered or AlertStatus.PartiallyFilled;

    /// <returns>The alert's new state and the reason to record (null: keep the alert's); null when it does not move.</returns>
    public static (AlertStatus Status, string? Reason)? Settle(AlertStatus current, IReadOnlyList<(OrderStatus Status, string? Reason)> mainOrders)
    {
        if (!Awaits(current) || mainOrders.Count == 0)
        {
            return null;
        }

        (AlertStatus Status, string? Reason)? next =
            mainOrders.All(o => o.Status == OrderStatus.Filled) ? (AlertStatus.Filled, null)
            : mainOrders.Any(o => o.Status is OrderStatus.Filled or OrderStatus.PartiallyFilled) ? (AlertStatus.PartiallyFilled, null)
            : mainOrders.All(o => o.Status == OrderStatus.Rejected) ? (AlertStatus.Rejected, mainOrders[0].Reason)
            : mainOrders.All(o => o.Status is OrderStatus.Rejected or OrderStatus.Failed or OrderStatus.Cancelled) ? (AlertStatus.Failed, FailureReason(mainOrders))
            : null;
        return next is { } moved && moved.Status != current ? moved : null;
    }

    private static string? FailureReason(IReadOnlyList<(OrderStatus Status, string? Reason)> orders) =>
        ReasonOf(orders, OrderStatus.Failed) ?? ReasonOf(orders, OrderStatus.Rejected) ?? ReasonOf(orders, OrderStatus.Cancelled);

    private static string? ReasonOf(IReadOnlyList<(OrderStatus Status, string? Reason)> orders, OrderStatus status) =>
        orders.FirstOrDefault(o => o.Status == status && o.Reason is not null).Reason;
}
