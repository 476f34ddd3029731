namespace AlgoSignal.Domain.Strategies;

/// <summary>Hours in which entries are allowed, e.g. 09:30–16:00 America/New_York, mon–fri.</summary>
public sealed record TradingWindow(string Start, string End, string Timezone, IReadOnlyList<string> Days);
