namespace AlgoSignal.MarketData;

/// <summary>One <c>MarketData:Cache:WarmUp[]</c> entry: <c>EXCHANGE:SYMBOL</c>, a timeframe in any accepted form, and how many bars.</summary>
public sealed class WarmUpSeries
{
    public string Symbol { get; set; } = "";

    public string Timeframe { get; set; } = "1h";

    public int Bars { get; set; } = 500;
}
