using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

public static class MarketDataRegistration
{
    /// <summary>Market data for any host: options (with the TV_* variables of README, "Market data: TradingView bars"), caches, TradingView clients.</summary>
    public static IHostApplicationBuilder AddMarketData(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<TradingViewOptions>().BindConfiguration(TradingViewOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o =>
            {
                // The TV_* variable names (README, "Market data: TradingView bars"), where the configuration key is not set.
                o.Username ??= configuration["TV_USERNAME"];
                o.Password ??= configuration["TV_PASSWORD"];
                o.SessionId ??= configuration["TV_SESSION"];
                o.UserId ??= configuration["TV_USER_ID"];
            });
        builder.Services.AddOptions<MarketDataOptions>().BindConfiguration(MarketDataOptions.CacheSection).ValidateDataAnnotations()
            .Validate(o => o.WarmUp.All(w => w.Symbol.IndexOf(':', StringComparison.Ordinal) > 0 && Domain.MarketData.Timeframe.TryParse(w.Timeframe, out _) && w.Bars is > 0 and <= 100_000),
                "MarketData:Cache:WarmUp entries need Symbol as EXCHANGE:SYMBOL, a valid Timeframe (1m, 1h, 1D…) and Bars between 1 and 100000.")
            .Validate(o => o.FreshnessSeconds.All(f => Domain.MarketData.Timeframe.TryParse(f.Key, out _) && f.Value > 0),
                "MarketData:Cache:FreshnessSeconds keys must be timeframes (1m, 1h, 1D…) and values seconds above 0.")
            .ValidateOnStart();
        builder.Services.AddOptions<MarketDataOptions>().Configure(o => configuration.GetSection("MarketData:Quality").Bind(o.Quality))
            .Validate(o => o.Quality.MaxConsecutiveFailures >= 1, "MarketData:Quality:MaxConsecutiveFailures must be 1 or more.");
        builder.Services.AddOptions<Providers.ProviderOptions>().BindConfiguration(Providers.ProviderOptions.Section)
            .PostConfigure(o =>
            {
                // The offline switch (README, offline mode): every symbol from the mock provider, no network needed.
                if (bool.TryParse(configuration["USE_MOCK_DATA"], out var mock) && mock)
                {
                    o.UseMockData = true;
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.ProviderByExchange.Values.All(v => Providers.ProviderNames.All.Contains(v, StringComparer.OrdinalIgnoreCase)),
                "MarketData:ProviderByExchange values must be tradingview, bybit or mock.")
            .ValidateOnStart();
        builder.Services.AddOptions<Providers.MockDataOptions>().BindConfiguration(Providers.MockDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Realtime.RealtimeOptions>().BindConfiguration(Realtime.RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var cache = sp.GetRequiredService<IOptions<MarketDataOptions>>().Value;
            return new BarMemoryCache(cache.MemoryEntries, cache.MemoryBytes);
        });
        builder.Services.AddSingleton<CacheStats>();
        builder.Services.AddSingleton<CacheClearFanOut>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheClearFanOut>());
        builder.Services.AddSingleton<BarStore>();
        builder.Services.AddSingleton<DatasetExporter>();
        builder.Services.AddHttpClient<TradingViewAuth>(c => c.Timeout = TimeSpan.FromSeconds(20));
        builder.Services.AddHttpClient<TvSymbolSearch>(c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<TradingViewAuth>(sp => ActivatorUtilities.CreateInstance<TradingViewAuth>(sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TradingViewAuth))));
        builder.Services.AddSingleton<TradingViewClient>();
        builder.Services.AddSingleton<Providers.IMarketDataProvider, Providers.TradingViewProvider>();
        builder.Services.AddSingleton<Providers.IMarketDataProvider, Providers.MockProvider>();
        builder.Services.AddOptions<Bybit.BybitMarketOptions>().BindConfiguration(Bybit.BybitMarketOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(nameof(Bybit.BybitMarketProvider));
        builder.Services.AddSingleton<Providers.IMarketDataProvider>(sp => ActivatorUtilities.CreateInstance<Bybit.BybitMarketProvider>(sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(Bybit.BybitMarketProvider))));
        builder.Services.AddSingleton<Providers.MarketDataProviders>();
        builder.Services.AddSingleton<Realtime.RealtimeHub>();
        builder.Services.AddScoped<MarketDataFetcher>();
        builder.Services.AddScoped<MarketDataService>();
        return builder;
    }
}
