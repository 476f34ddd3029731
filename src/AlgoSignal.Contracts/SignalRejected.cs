namespace AlgoSignal.Contracts;

/// <summary>
/// An alert that ends without an order — rejected, risk-rejected (with the rule), a duplicate or failed —
/// or whose later leg was refused after an earlier one was placed (<c>partially_executed</c>: a
/// reversal's exit executed, its entry refused by the rule; the exit's own events follow as usual).
/// </summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Strategy">The strategy, when known.</param>
/// <param name="Status">The alert's final state: <c>rejected</c>, <c>risk_rejected</c>, <c>duplicate</c>, <c>failed</c> or <c>partially_executed</c>.</param>
/// <param name="Rule">The risk rule that refused it, for <c>risk_rejected</c> and <c>partially_executed</c>.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record SignalRejected(Guid AlertId, string? Strategy, string Status, string? Rule, string? Reason);
