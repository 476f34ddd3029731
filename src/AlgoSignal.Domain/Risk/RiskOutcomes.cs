namespace AlgoSignal.Domain.Risk;

/// <summary>A risk decision as stored in <c>risk_decisions.decision</c> and served in an alert's story.</summary>
public static class RiskOutcomes
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}
