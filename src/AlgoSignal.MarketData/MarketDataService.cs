using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Domain;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using AlgoSignal.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The API's side: memory (L1), then PostgreSQL (L2), then the worker, which fetches from the symbol's
/// provider (TradingView, Bybit, mock) on its own queue — so a slow source never holds the API's threads,
/// and cached answers need no hop. The answer's source names the provider that was asked.
/// </summary>
public sealed class MarketDataService(
    BarMemoryCache memory,
    BarStore store,
    CacheStats stats,
    IRequestClient<FetchBars> fetcher,
    IOptions<TradingViewOptions> tradingView,
    MarketDataProviders providers,
    IOptions<MarketDataOptions> cache,
    TimeProvider time,
    AlgoSignalMetrics metrics)
{
    public async Task<MarketDataAnswer> GetAsync(string exchange, string symbol, Timeframe timeframe, int bars, bool useCache, bool extended, CancellationToken cancellationToken)
    {
        var key = SeriesKey.Of(exchange, symbol, timeframe.Code);
        var now = time.GetUtcNow();
        if (useCache)
        {
            if (memory.Get(key) is { } inMemory && inMemory.Bars.Count >= bars && Freshness.IsFresh(inMemory, timeframe, now, cache.Value.FreshnessSeconds))
            {
                stats.MemoryHit();
                metrics.OhlcRequest("memory", "hit");
                return new MarketDataAnswer(Newest(inMemory, bars), "memory", inMemory);
            }

            if (await store.LoadAsync(key, bars, cancellationToken) is { } stored && stored.Bars.Count >= bars && Freshness.IsFresh(stored, timeframe, now, cache.Value.FreshnessSeconds))
            {
                stats.DatabaseHit();
                metrics.OhlcRequest("database", "hit");
                memory.Put(stored);
                return new MarketDataAnswer(stored, "database");
            }
        }

        stats.Miss();
        var provider = providers.NameFor(key.Exchange);
        var settings = tradingView.Value;
        if (provider == ProviderNames.TradingView)
        {
            // Switched off: say so at once rather than queue a fetch the worker must refuse.
            TradingViewProvider.EnsureEnabled(settings);
        }

        var timeout = TimeSpan.FromSeconds((settings.TimeoutSeconds * settings.MaxAttempts) + 10);
        var response = await fetcher.GetResponse<BarsFetched, FetchFailed>(new FetchBars(key.Exchange, key.Symbol, timeframe.Code, bars, extended), cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        if (response.Is(out Response<FetchFailed>? failed))
        {
            metrics.OhlcRequest(provider, "error");
            throw new TvException(failed.Message.Kind, failed.Message.Message);
        }

        response.Is(out Response<BarsFetched>? fetched);
        var series = FromMessage(key, fetched!.Message);
        if (fetched.Message.Cached)
        {
            memory.Put(series);
        }

        metrics.OhlcRequest(provider, "fetched");
        return new MarketDataAnswer(series, provider);
    }

    public static BarsFetched ToMessage(CachedSeries series, bool cached) => new(
        series.Key.Exchange, series.Key.Symbol, series.Key.Timeframe,
        series.Bars.Select(b => new BarData(b.Time.ToUnixTimeSeconds(), b.Open, b.High, b.Low, b.Close, b.Volume, b.IsForming)).ToList(),
        series.FetchedAt, series.HasVolume, series.Description, JsonSerializer.Serialize(series.Quality, JsonDefaults.SnakeCase), cached);

    private static CachedSeries FromMessage(SeriesKey key, BarsFetched message) => new(
        key,
        message.Bars.Select(b => new Bar(DateTimeOffset.FromUnixTimeSeconds(b.Time), b.Open, b.High, b.Low, b.Close, b.Volume, b.Forming)).ToList(),
        message.FetchedAt,
        message.HasVolume,
        JsonSerializer.Deserialize<QualityReport>(message.QualityJson, JsonDefaults.SnakeCase),
        message.Description);

    private static CachedSeries Newest(CachedSeries series, int bars) =>
        series.Bars.Count == bars ? series : series with { Bars = series.Bars.Skip(series.Bars.Count - bars).ToList() };
}
