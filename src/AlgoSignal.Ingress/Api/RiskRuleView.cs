namespace AlgoSignal.Ingress.Api;

/// <summary>
/// One risk rule as evaluated for an alert: its limit from the strategy's definition when that definition is
/// unchanged since the decision, and the refusal's own words when it failed (README, "The alert story").
/// </summary>
public sealed record RiskRuleView(string Rule, bool Passed, object? Value, object? Limit, string? Detail);
