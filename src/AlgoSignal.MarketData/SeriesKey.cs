namespace AlgoSignal.MarketData;

/// <summary>A bar series: exchange, symbol and the protocol's timeframe code, upper-cased.</summary>
public sealed record SeriesKey(string Exchange, string Symbol, string Timeframe)
{
    public static SeriesKey Of(string exchange, string symbol, string timeframeCode) =>
        new(exchange.Trim().ToUpperInvariant(), symbol.Trim().ToUpperInvariant(), timeframeCode);

    public override string ToString() => $"{Exchange}:{Symbol} {Timeframe}";
}
