namespace AlgoSignal.Domain.Risk;

/// <summary>One named rule; returns a rejection reason, or null when the signal passes.</summary>
public interface IRiskRule
{
    string Name { get; }

    string? Check(RiskContext context);
}
