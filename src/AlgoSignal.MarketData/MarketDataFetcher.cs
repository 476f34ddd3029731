using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The worker's side of a fetch: what PostgreSQL already holds decides how much to ask TradingView for
/// (only the missing tail of a known series), the answer is merged, scored, stored (unless it scores
/// below the minimum to cache) and exported as CSV; PostgreSQL is then pruned to its limits.
/// </summary>
public sealed partial class MarketDataFetcher(
    TradingViewClient client, BarStore store, DatasetExporter exporter, IOptions<MarketDataOptions> options, IOptions<TradingViewOptions> tradingView, TimeProvider time, ILogger<MarketDataFetcher> logger)
{
    public async Task<FetchOutcome> FetchAsync(string exchange, string symbol, Timeframe timeframe, int bars, bool extended, CancellationToken cancellationToken)
    {
        var key = SeriesKey.Of(exchange, symbol, timeframe.Code);
        var now = time.GetUtcNow();
        var known = await store.LoadAsync(key, bars, cancellationToken);
        // What is stored already reaches back far enough: only the newer end is missing.
        var coversStart = known is { Bars.Count: > 0 } && known.Bars[0].Time <= now - (timeframe.Length * (bars - 1));
        var ask = coversStart ? Freshness.TailBars(known!, timeframe, now, bars) : bars;

        var series = await client.FetchAsync(new TvRequest(key.Exchange, key.Symbol, timeframe, ask, extended), cancellationToken);
        var merged = Merge(known?.Bars, series.Bars, bars);
        var quality = QualityAssessor.Assess(merged, timeframe, now, options.Value.Quality, series.Session);
        var result = new CachedSeries(key, merged, now, series.HasVolume, quality, series.Description);
        var cached = quality.Score >= options.Value.Quality.MinScoreToCache;
        if (cached)
        {
            await store.SaveAsync(result with { Bars = series.Bars }, series.Session, cancellationToken);
            var settings = options.Value;
            var expiry = settings.DatabaseRetentionDays == 0 ? DateTimeOffset.UnixEpoch : now - TimeSpan.FromDays(settings.DatabaseRetentionDays);
            await store.PruneAsync(key, tradingView.Value.MaxBars, settings.DatabaseMaxSeries, expiry, cancellationToken);
        }

        if (quality.Level != QualityReport.Good)
        {
            LogDegraded(logger, key.ToString(), quality.Score, quality.Level, quality.Findings.Count);
        }

        await exporter.ExportAsync(key, merged, cancellationToken);
        LogFetched(logger, key.ToString(), series.Bars.Count, ask, merged.Count, quality.Score);
        return new FetchOutcome(result, cached);
    }

    /// <summary>Known bars overlaid by fetched ones (same time: the fetched one wins), newest <paramref name="bars"/> kept.</summary>
    public static List<Bar> Merge(IReadOnlyList<Bar>? known, IReadOnlyList<Bar> fetched, int bars)
    {
        var byTime = new SortedDictionary<DateTimeOffset, Bar>();
        foreach (var bar in known ?? [])
        {
            byTime[bar.Time] = bar with { IsForming = false };
        }

        foreach (var bar in fetched)
        {
            byTime[bar.Time] = bar;
        }

        return byTime.Values.TakeLast(bars).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data quality of {Series} is {Level}: score {Score} with {Findings} finding(s)")]
    private static partial void LogDegraded(ILogger logger, string series, double score, string level, int findings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Series}: {Received} bars for {Asked} asked, {Total} after merging, quality {Score}")]
    private static partial void LogFetched(ILogger logger, string series, int received, int asked, int total, double score);
}
