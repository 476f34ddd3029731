namespace AlgoSignal.Contracts;

/// <summary>An alert that ends without an order: rejected, risk-rejected (with the rule) or a duplicate.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Strategy">The strategy, when known.</param>
/// <param name="Status">The alert's final state: <c>rejected</c>, <c>risk_rejected</c> or <c>duplicate</c>.</param>
/// <param name="Rule">The risk rule that rejected it, for <c>risk_rejected</c>.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record SignalRejected(Guid AlertId, string? Strategy, string Status, string? Rule, string? Reason);
