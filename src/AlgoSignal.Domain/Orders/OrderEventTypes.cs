namespace AlgoSignal.Domain.Orders;

/// <summary>What happened to an order, as stored in <c>order_events.type</c> and served in its story.</summary>
public static class OrderEventTypes
{
    /// <summary>A live order recorded in its alert's transaction, to be sent once that commits.</summary>
    public const string Submitting = OrderStatuses.Submitting;
    public const string Accepted = OrderStatuses.Accepted;
    public const string PartiallyFilled = OrderStatuses.PartiallyFilled;
    public const string Filled = OrderStatuses.Filled;
    public const string Rejected = OrderStatuses.Rejected;
    public const string Cancelled = OrderStatuses.Cancelled;

    /// <summary>A stop-limit order's stop was reached: it rests on as a limit order.</summary>
    public const string Triggered = "triggered";
}
