namespace AlgoSignal.Domain.Orders;

/// <summary>
/// An order's states as stored (<c>orders.status</c>) and served. A live order is recorded <see cref="Submitting"/>
/// in its alert's transaction, becomes <see cref="Accepted"/>, <see cref="Rejected"/> or <see cref="Unknown"/> (no
/// answer) once sent, and is followed to <see cref="Filled"/> or <see cref="Cancelled"/>.
/// </summary>
public static class OrderStatuses
{
    public const string Submitting = "submitting";
    public const string Accepted = "accepted";
    public const string PartiallyFilled = "partially_filled";
    public const string Filled = "filled";
    public const string Unknown = "unknown";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";

    /// <summary>Statuses that mean the order has no answer from its broker yet and must be settled by its client order id.</summary>
    public static bool NeedsSettling(string status) => status is Submitting or Unknown;
}
