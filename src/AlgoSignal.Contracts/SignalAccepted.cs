namespace AlgoSignal.Contracts;

/// <summary>An alert passed mapping and risk: its orders follow.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Strategy">The strategy it belongs to.</param>
/// <param name="Symbol">The symbol as the alert named it.</param>
/// <param name="Action">The alert's action.</param>
/// <param name="Orders">How many orders it produced (a reversal makes two; fan-out one per route).</param>
public sealed record SignalAccepted(Guid AlertId, string Strategy, string Symbol, string Action, int Orders);
