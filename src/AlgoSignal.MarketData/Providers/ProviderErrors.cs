namespace AlgoSignal.MarketData.Providers;

/// <summary>Failure kinds every provider shares, beside the source's own (<c>symbol_error</c>, <c>timeout</c>…).</summary>
public static class ProviderErrors
{
    /// <summary>The provider is switched off by configuration; the API answers 503 naming the setting.</summary>
    public const string Disabled = "provider_disabled";

    /// <summary>The provider has no such data (open interest from TradingView); the API answers 400.</summary>
    public const string NotSupported = "not_supported";
}
