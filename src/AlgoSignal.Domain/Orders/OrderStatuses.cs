namespace AlgoSignal.Domain.Orders;

/// <summary>
/// An order's states as stored (<c>orders.status</c>) and served. A live order is recorded <see cref="Submitting"/>
/// in its alert's transaction, becomes <see cref="Accepted"/>, <see cref="Rejected"/> or <see cref="Unknown"/> (no
/// answer) once sent, and is followed to <see cref="Filled"/> or <see cref="Cancelled"/>. The one mapping between
/// the stored text and <see cref="OrderStatus"/>.
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

    /// <summary>The stored text of a status.</summary>
    public static string ToText(this OrderStatus status) => status switch
    {
        OrderStatus.Submitting => Submitting,
        OrderStatus.Accepted => Accepted,
        OrderStatus.PartiallyFilled => PartiallyFilled,
        OrderStatus.Filled => Filled,
        OrderStatus.Unknown => Unknown,
        OrderStatus.Rejected => Rejected,
        OrderStatus.Failed => Failed,
        OrderStatus.Cancelling => Cancelling,
        OrderStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an order status"),
    };

    /// <summary>Reads a stored status; false for text that is none of them.</summary>
    public static bool TryParse(string? text, out OrderStatus status)
    {
        var read = Read(text);
        status = read.GetValueOrDefault();
        return read.HasValue;
    }

    /// <summary>Reads a stored status that must be one (a row written by this product).</summary>
    public static OrderStatus Parse(string text) => Read(text) ?? throw new FormatException($"\"{text}\" is not an order status.");

    private static OrderStatus? Read(string? text) => text switch
    {
        Submitting => OrderStatus.Submitting,
        Accepted => OrderStatus.Accepted,
        PartiallyFilled => OrderStatus.PartiallyFilled,
        Filled => OrderStatus.Filled,
        Unknown => OrderStatus.Unknown,
        Rejected => OrderStatus.Rejected,
        Failed => OrderStatus.Failed,
        Cancelling => OrderStatus.Cancelling,
        Cancelled => OrderStatus.Cancelled,
        _ => null,
    };
}
