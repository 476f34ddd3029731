using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Ingress.MarketData;

/// <summary><c>MarketData:RateLimit:*</c>: requests to the market-data routes per API key.</summary>
public sealed class MarketDataRateLimitOptions
{
    public const string Section = "MarketData:RateLimit";

    /// <summary>Market-data requests (and realtime connection attempts) one API key may make a minute; 0 turns the limit off.</summary>
    [Range(0, 1_000_000, ErrorMessage = "MarketData:RateLimit:PermitsPerMinute must be between 0 (off) and 1000000.")]
    public int PermitsPerMinute { get; set; } = 600;
}
