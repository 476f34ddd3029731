namespace AlgoSignal.MarketData.Realtime;

/// <summary>One upstream subscription: <c>EXCHANGE:SYMBOL</c> and the protocol's timeframe code.</summary>
public sealed record StreamKey(string Exchange, string Symbol, string Timeframe)
{
    public string FullSymbol => $"{Exchange}:{Symbol}";
}
