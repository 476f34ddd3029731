using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>What to fetch: <c>EXCHANGE:SYMBOL</c>, the interval, how many bars, and whether extended hours.</summary>
public sealed record TvRequest(string Exchange, string Symbol, Timeframe Timeframe, int Bars, bool ExtendedSession = false)
{
    public string FullSymbol => $"{Exchange}:{Symbol}";
}
