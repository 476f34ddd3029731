using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData.Realtime;

/// <summary><c>MarketData:Realtime:*</c>: how far one key and all clients together may fan out upstream.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "MarketData:Realtime";

    /// <summary>Open <c>/ws/realtime</c> connections per API key.</summary>
    [Range(1, 10_000, ErrorMessage = "MarketData:Realtime:MaxConnectionsPerKey must be between 1 and 10000.")]
    public int MaxConnectionsPerKey { get; set; } = 10;

    /// <summary>Symbol/timeframe subscriptions one connection may hold.</summary>
    [Range(1, 10_000, ErrorMessage = "MarketData:Realtime:MaxSubscriptionsPerConnection must be between 1 and 10000.")]
    public int MaxSubscriptionsPerConnection { get; set; } = 50;

    /// <summary>Upstream TradingView streams open at once, for all clients together (each symbol and timeframe is one, shared).</summary>
    [Range(1, 100_000, ErrorMessage = "MarketData:Realtime:MaxUpstreamStreams must be between 1 and 100000.")]
    public int MaxUpstreamStreams { get; set; } = 100;
}
