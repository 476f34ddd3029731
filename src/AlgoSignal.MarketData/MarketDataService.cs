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

        if (useCache && await ResampleAsync(key, timeframe, bars, now, cancellationToken) is { } resampled)
        {
            stats.DatabaseHit();
            metrics.OhlcRequest(Resampled, "hit");
            memory.Put(resampled);
            return new MarketDataAnswer(resampled, Resampled);
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

    /// <summary>The answer's source when a series was built from a cached lower timeframe.</summary>
    public const string Resampled = "resampled";

    private static readonly string[] LowerCodes = ["240", "120", "60", "30", "15", "5", "3", "1"];

    /// <summary>
    /// The series built from a fresh, stored lower timeframe that covers the whole range (the coarsest such
    /// one, fewest bars to read), scored like a fetch; null when none does. Marked in its description.
    /// </summary>
    private async Task<CachedSeries?> ResampleAsync(SeriesKey key, Timeframe timeframe, int bars, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (timeframe.IsDailyOrLonger)
        {
            return null;
        }

        Dictionary<string, DateTimeOffset>? stored = null;
        foreach (var code in LowerCodes)
        {
            if (!Timeframe.TryParse(code, out var lower) || !BarResampler.CanBuild(timeframe, lower))
            {
                continue;
            }

            // Only timeframes held in memory, or stored fresh, are worth reading.
            if (memory.Get(key with { Timeframe = lower.Code }) is null)
            {
                stored ??= await store.StoredTimeframesAsync(key.Exchange, key.Symbol, cancellationToken);
                if (!stored.TryGetValue(lower.Code, out var fetchedAt) || now - fetchedAt >= Freshness.For(lower, cache.Value.FreshnessSeconds))
                {
                    continue;
                }
            }

            var needed = (long)bars * (timeframe.Length.Ticks / lower.Length.Ticks);
            if (needed > tradingView.Value.MaxBars)
            {
                continue;
            }

            var lowerKey = key with { Timeframe = lower.Code };
            var source = memory.Get(lowerKey) is { } inMemory && inMemory.Bars.Count >= needed ? inMemory : await store.LoadAsync(lowerKey, (int)needed, cancellationToken);
            if (source is null || !Freshness.IsFresh(source, lower, now, cache.Value.FreshnessSeconds)
                || BarResampler.Build(source.Bars.TakeLast((int)needed + (int)(timeframe.Length.Ticks / lower.Length.Ticks)).ToList(), lower, timeframe, bars, now) is not { } built)
            {
                continue;
            }

            var quality = QualityAssessor.Assess(built, timeframe, now, cache.Value.Quality);
            return new CachedSeries(key, built, source.FetchedAt, source.HasVolume, quality, $"{source.Description} (resampled from {lower.Code})");
        }

        return null;
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
