namespace AlgoSignal.MarketData.Providers;

/// <summary>The providers <c>MarketData:Provider</c> and <c>MarketData:ProviderByExchange:*</c> may name.</summary>
public static class ProviderNames
{
    public const string TradingView = "tradingview";
    public const string Bybit = "bybit";
    public const string Mock = "mock";

    public static readonly IReadOnlyList<string> All = [TradingView, Bybit, Mock];
}
