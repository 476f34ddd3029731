using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData.Providers;

/// <summary>
/// Which provider serves a symbol: <c>MarketData:ProviderByExchange:&lt;EXCHANGE&gt;</c> for its prefix, else
/// <c>MarketData:Provider</c>. <c>USE_MOCK_DATA=true</c> (or <c>MarketData:UseMockData</c>) sends every symbol to
/// the mock provider, so the product runs without any network.
/// </summary>
public sealed class ProviderOptions
{
    public const string Section = "MarketData";

    [Required]
    [AllowedValues(ProviderNames.TradingView, ProviderNames.Bybit, ProviderNames.Mock, ErrorMessage = "MarketData:Provider must be tradingview, bybit or mock.")]
    public string Provider { get; set; } = ProviderNames.TradingView;

    /// <summary>Exchange prefix → provider. <c>BYBIT</c> → bybit and <c>MOCK</c> → mock unless configured otherwise.</summary>
    public Dictionary<string, string> ProviderByExchange { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool UseMockData { get; set; }
}
