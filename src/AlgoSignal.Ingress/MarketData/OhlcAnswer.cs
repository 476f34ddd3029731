namespace AlgoSignal.Ingress.MarketData;

/// <summary><c>GET /api/tv/ohlc</c> (README: market data), plus where the bars came from.</summary>
public sealed record OhlcAnswer(string Symbol, string Exchange, string Timeframe, int Count, string Source, bool HasVolume, double? QualityScore, IReadOnlyList<OhlcBar> Ohlc);
