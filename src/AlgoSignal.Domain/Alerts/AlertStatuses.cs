namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// The alert states (docs/architecture.md, "Alert states") as stored (<c>alerts.status</c>) and served; every alert
/// ends in a final one. The one mapping between the stored text and <see cref="AlertStatus"/>.
/// </summary>
public static class AlertStatuses
{
    public const string Received = "received";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
    public const string RiskRejected = "risk_rejected";
    public const string Ordered = "ordered";
    public const string Filled = "filled";
    public const string PartiallyFilled = "partially_filled";

    /// <summary>Some of the alert's orders were placed (a reversal's exit), a later one was refused (its entry).</summary>
    public const string PartiallyExecuted = "partially_executed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is not Received;

    /// <summary>The stored text of a state.</summary>
    public static string ToText(this AlertStatus status) => status switch
    {
        AlertStatus.Received => Received,
        AlertStatus.Duplicate => Duplicate,
        AlertStatus.Rejected => Rejected,
        AlertStatus.RiskRejected => RiskRejected,
        AlertStatus.Ordered => Ordered,
        AlertStatus.Filled => Filled,
        AlertStatus.PartiallyFilled => PartiallyFilled,
        AlertStatus.PartiallyExecuted => PartiallyExecuted,
        AlertStatus.Failed => Failed,
        AlertStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an alert state"),
    };

    /// <summary>Reads a stored state; false for text that is none of them.</summary>
    public static bool TryParse(string? text, out AlertStatus status)
    {
        var read = Read(text);
        status = read.GetValueOrDefault();
        return read.HasValue;
    }

    /// <summary>Reads a stored state that must be one (a row written by this product).</summary>
    public static AlertStatus Parse(string text) => Read(text) ?? throw new FormatException($"\"{text}\" is not an alert state.");

    private static AlertStatus? Read(string? text) => text switch
    {
        Received => AlertStatus.Received,
        Duplicate => AlertStatus.Duplicate,
        Rejected => AlertStatus.Rejected,
        RiskRejected => AlertStatus.RiskRejected,
        Ordered => AlertStatus.Ordered,
        Filled => AlertStatus.Filled,
        PartiallyFilled => AlertStatus.PartiallyFilled,
        PartiallyExecuted => AlertStatus.PartiallyExecuted,
        Failed => AlertStatus.Failed,
        Cancelled => AlertStatus.Cancelled,
        _ => null,
    };
}
