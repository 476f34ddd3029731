namespace AlgoSignal.Worker.Pipeline;

/// <summary>The states of <see cref="Domain.Alerts.AlertStatuses"/>, under the name the pipeline uses.</summary>
public static class AlertStatuses
{
    public const string Received = Domain.Alerts.AlertStatuses.Received;
    public const string Duplicate = Domain.Alerts.AlertStatuses.Duplicate;
    public const string Rejected = Domain.Alerts.AlertStatuses.Rejected;
    public const string RiskRejected = Domain.Alerts.AlertStatuses.RiskRejected;
    public const string Ordered = Domain.Alerts.AlertStatuses.Ordered;
    public const string Filled = Domain.Alerts.AlertStatuses.Filled;
    public const string PartiallyFilled = Domain.Alerts.AlertStatuses.PartiallyFilled;

    /// <summary>Some of the alert's orders were placed (a reversal's exit), a later one was refused (its entry).</summary>
    public const string PartiallyExecuted = Domain.Alerts.AlertStatuses.PartiallyExecuted;
    public const string Failed = Domain.Alerts.AlertStatuses.Failed;
    public const string Cancelled = Domain.Alerts.AlertStatuses.Cancelled;

    public static bool IsFinal(string status) => Domain.Alerts.AlertStatuses.IsFinal(status);
}
