namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// An alert's state as the Domain's rules reason about it (docs/architecture.md, "Alert states"); stored and
/// served as the snake_case text of <see cref="AlertStatuses"/>, which maps between the two.
/// </summary>
public enum AlertStatus
{
    Received,
    Duplicate,
    Rejected,
    RiskRejected,
    Ordered,
    Filled,
    PartiallyFilled,
    PartiallyExecuted,
    Failed,
    Cancelled,
}
