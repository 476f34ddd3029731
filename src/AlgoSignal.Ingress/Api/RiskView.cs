namespace AlgoSignal.Ingress.Api;

/// <summary>
/// The risk decision of an alert. <c>Rules</c> lists every rule evaluated, in the engine's order (the first
/// rejection decides, so the rules after it were not evaluated and are not listed).
/// </summary>
public sealed record RiskView(string Decision, string? Rule, string? Reason, DateTimeOffset? DecidedAt = null, IReadOnlyList<RiskRuleView>? Rules = null);
