namespace AlgoSignal.MarketData;

/// <summary>A series for the API and where it came from: <c>memory</c>, <c>database</c> or <c>tradingview</c>.</summary>
public sealed record MarketDataAnswer(CachedSeries Series, string Source);
