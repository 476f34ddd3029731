namespace AlgoSignal.Contracts;

/// <summary>The bars a <see cref="FetchBars"/> asked for, with their quality.</summary>
/// <param name="Exchange">The exchange.</param>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timeframe">The protocol's timeframe code.</param>
/// <param name="Bars">Oldest first.</param>
/// <param name="FetchedAt">When TradingView answered.</param>
/// <param name="HasVolume">False for instruments without volume (indices).</param>
/// <param name="Description">TradingView's description of the symbol.</param>
/// <param name="QualityJson">The quality report (six scores, level, findings) as JSON.</param>
/// <param name="Cached">False when the data scored below <c>MarketData:Quality:MinScoreToCache</c> and was not stored.</param>
public sealed record BarsFetched(string Exchange, string Symbol, string Timeframe, IReadOnlyList<BarData> Bars, DateTimeOffset FetchedAt, bool HasVolume, string? Description, string QualityJson, bool Cached);
