using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The worker's side of a fetch: what PostgreSQL already holds decides how much to ask the symbol's provider for
/// (only the missing tail of a known series), the answer is merged, scored, stored (unless it scores
/// below the minimum to cache) and exported as CSV; PostgreSQL is then pruned to its limits.
/// </summary>
public sealed partial class MarketDataFetcher(
    MarketDataProviders providers, BarStore store, DatasetExporter exporter, IOptions<MarketDataOptions> options, IOptions<TradingViewOptions> tradingView, TimeProvider time, ILogger<MarketDataFetcher> logger)
{
    public async Task<FetchOutcome> FetchAsync(string exchange, string symbol, Timeframe timeframe, int bars, bool extended, CancellationToken cancellationToken)
    {
        var key = SeriesKey.Of(exchange, symbol, timeframe.Code);
        var now = time.GetUtcNow();
        var known = await store.LoadAsync(key, bars, cancellationToken);
        // What is stored already reaches back far enough: only the newer end is missing.
        var coversStart = known is { Bars.Count: > 0 } && known.Bars[0].Time <= now - (timeframe.Length * (bars - 1));
        var ask = coversStart ? Freshness.TailBars(known!, timeframe, now, bars) : bars;

        var series = await providers.For(key.Exchange).FetchAsync(new TvRequest(key.Exchange, key.Symbol, timeframe, ask, extended), cancellationToken);
        var quality = Options.Quality;
        var merged = Merge(known?.Bars, series.Bars, bars);

        // Scored on what arrived (repeats and all) beside the stored bars it did not replace; merged after.
        var report = QualityAssessor.Assess(AsReceived(merged, known?.Bars, series.Received), timeframe, now, quality, series.Session);
        var fetched = series.Bars;
        if (quality.AutoCorrect)
        {
            var corrections = new List<QualityCorrection>();
            merged = QualityAssessor.Correct(merged, corrections);
            fetched = QualityAssessor.Correct(fetched, []);
            if (corrections.Count > 0)
            {
                report = report with { Corrections = corrections };
                LogCorrected(logger, key.ToString(), corrections.Count);
            }
        }

        var result = new CachedSeries(key, merged, now, series.HasVolume, report, series.Description);
        var cached = report.Score >= quality.MinScoreToCache;
        if (cached)
        {
            await store.SaveAsync(result with { Bars = fetched }, series.Session, cancellationToken);
            var settings = Options;
            var expiry = settings.DatabaseRetentionDays == 0 ? DateTimeOffset.UnixEpoch : now - TimeSpan.FromDays(settings.DatabaseRetentionDays);
            await store.PruneAsync(key, settings.BarsPerSeries(tradingView.Value.MaxBars), settings.DatabaseMaxSeries, expiry, cancellationToken);
        }

        var degraded = report.Level != QualityReport.Good;
        if (degraded)
        {
            LogDegraded(logger, key.ToString(), report.Score, report.Level, report.Findings.Count);
        }

        // Raised once per episode: when the run of degraded fetches reaches the limit, not on each one after.
        var run = await store.RecordQualityRunAsync(key, degraded, now, cancellationToken);
        await exporter.ExportAsync(key, merged, cancellationToken);
        LogFetched(logger, key.ToString(), series.Bars.Count, ask, merged.Count, report.Score);
        return new FetchOutcome(result, cached, RaiseDegraded: degraded && run == quality.MaxConsecutiveFailures);
    }

    private MarketDataOptions Options => options.Value;

    /// <summary>
    /// The bars to score: the stored ones the fetch did not cover, then every fetched point as received,
    /// limited to the range of the merged series.
    /// </summary>
    public static List<Bar> AsReceived(IReadOnlyList<Bar> merged, IReadOnlyList<Bar>? known, IReadOnlyList<Bar> received)
    {
        if (merged.Count == 0)
        {
            return [.. received];
        }

        var start = merged[0].Time;
        var fetchedTimes = received.Select(b => b.Time).ToHashSet();
        return (known ?? []).Where(b => b.Time >= start && !fetchedTimes.Contains(b.Time)).Select(b => b with { IsForming = false })
            .Concat(received.Where(b => b.Time >= start)).ToList();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Auto-correction repaired {Corrections} value(s) of {Series}")]
    private static partial void LogCorrected(ILogger logger, string series, int corrections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Series}: {Received} bars for {Asked} asked, {Total} after merging, quality {Score}")]
    private static partial void LogFetched(ILogger logger, string series, int received, int asked, int total, double score);
}
