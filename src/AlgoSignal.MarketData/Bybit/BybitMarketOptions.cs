using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData.Bybit;

/// <summary><c>MarketData:Bybit:*</c>: Bybit's public V5 market data (no key needed).</summary>
public sealed class BybitMarketOptions
{
    public const string Section = "MarketData:Bybit";

    [Required(ErrorMessage = "MarketData:Bybit:BaseUrl is required.")]
    public string BaseUrl { get; set; } = "https://api.bybit.com";

    [Required(ErrorMessage = "MarketData:Bybit:WebSocketUrl is required.")]
    public string WebSocketUrl { get; set; } = "wss://stream.bybit.com/v5/public/linear";

    /// <summary>The product the BYBIT: symbols are: <c>linear</c> (USDT perpetuals), <c>inverse</c> or <c>spot</c>.</summary>
    [AllowedValues("linear", "inverse", "spot", ErrorMessage = "MarketData:Bybit:Category must be linear, inverse or spot.")]
    public string Category { get; set; } = "linear";

    [Range(1, 120, ErrorMessage = "MarketData:Bybit:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 10;
}
