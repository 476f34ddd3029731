namespace AlgoSignal.Ingress.MarketData;

/// <summary>The ingress's market-data limits: the per-key rate limit and the realtime connection bookkeeping.</summary>
public static class MarketDataLimits
{
    public static WebApplicationBuilder AddMarketDataLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MarketDataRateLimitOptions>().BindConfiguration(MarketDataRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(o => o.AddPolicy<string, MarketDataRateLimitPolicy>(MarketDataRateLimitPolicy.Name));
        builder.Services.AddSingleton<RealtimeConnections>();
        builder.Services.AddSingleton<VanishedClientLog>();
        return builder;
    }
}
