namespace AlgoSignal.MarketData;

/// <summary>
/// A fetched series, whether it was stored (it is not when it scores below the minimum to cache), and
/// whether this fetch opens a degraded-quality episode (<c>MarketData:Quality:MaxConsecutiveFailures</c>
/// degraded fetches in a row), so <c>DataQualityDegraded</c> is raised now.
/// </summary>
public sealed record FetchOutcome(CachedSeries Series, bool Cached, bool RaiseDegraded = false);
