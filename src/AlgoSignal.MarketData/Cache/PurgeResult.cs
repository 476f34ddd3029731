namespace AlgoSignal.MarketData.Cache;

/// <summary>What one scheduled purge of L2 removed.</summary>
public sealed record PurgeResult(int Bars, int QualityReports, long Series);
