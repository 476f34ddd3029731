namespace AlgoSignal.Worker.Pipeline;

/// <summary>The alert states (docs/architecture.md, "Alert states"); every alert ends in a final one.</summary>
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

    public static bool IsFinal(string status) => status is not (Received);
}
