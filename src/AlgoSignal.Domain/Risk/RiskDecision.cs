namespace AlgoSignal.Domain.Risk;

/// <summary>The outcome of the risk check: approved, or rejected by the named rule with a reason.</summary>
public sealed record RiskDecision(bool Approved, string? Rule, string? Reason)
{
    public static readonly RiskDecision Approve = new(true, null, null);

    public static RiskDecision Reject(string rule, string reason) => new(false, rule, reason);
}
