namespace AlgoSignal.Domain.Decisions;

/// <summary>What happened on one route of an alert: an alert status and, when not filled, why.</summary>
public sealed record RouteResult(string Status, string? Reason);
