namespace AlgoSignal.Ingress.MarketData;

/// <summary><c>POST /api/v1/data/historical</c>'s body.</summary>
public sealed record HistoricalRequest(string? Symbol, string? Timeframe, int? Count, bool? QualityCheck, bool? UseCache, bool? Extended);
