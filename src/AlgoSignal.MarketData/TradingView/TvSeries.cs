using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>Bars as received (UTC, oldest first, the forming bar marked) and what the server said of the symbol.</summary>
public sealed record TvSeries(IReadOnlyList<Bar> Bars, TradingSession? Session, bool HasVolume, string? Description);
