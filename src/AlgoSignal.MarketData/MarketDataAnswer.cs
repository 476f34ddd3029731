namespace AlgoSignal.MarketData;

/// <summary>A series for the API and where it came from: <c>memory</c>, <c>database</c> or <c>tradingview</c>.</summary>
/// <param name="Whole">The cached series <paramref name="Series"/> is the newest part of, when it is one (its serialized bars are reused).</param>
public sealed record MarketDataAnswer(CachedSeries Series, string Source, CachedSeries? Whole = null);
