namespace AlgoSignal.MarketData;

/// <summary>A fetched series and whether it was stored (it is not when it scores below the minimum to cache).</summary>
public sealed record FetchOutcome(CachedSeries Series, bool Cached);
