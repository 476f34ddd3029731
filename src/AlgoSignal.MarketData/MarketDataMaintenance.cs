using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The worker's care of the cache (README: market data cache settings): the warm-up list
/// (<c>MarketData:Cache:WarmUp[]</c>) is fetched at start and fetched again whenever it is no longer fresh,
/// so its first request is a hit; and every <c>MarketData:Cache:PurgeIntervalMinutes</c> L2 is purged to its
/// limits (bars per series, series age and count, quality-report age), not only the series a fetch touched.
/// </summary>
public sealed partial class MarketDataMaintenance(
    IServiceScopeFactory scopes, BarStore store, IOptions<MarketDataOptions> options, IOptions<TradingViewOptions> tradingView, TimeProvider time, ILogger<MarketDataMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WarmUpAsync(stoppingToken);
                await PurgeIfDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogMaintenanceFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(Tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var entry in settings.WarmUp)
        {
            var colon = entry.Symbol.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !Timeframe.TryParse(entry.Timeframe, out var timeframe))
            {
                continue; // refused at start by validation; kept defensive for reloads
            }

            var key = SeriesKey.Of(entry.Symbol[..colon], entry.Symbol[(colon + 1)..], timeframe.Code);
            var now = time.GetUtcNow();
            if (await store.LoadAsync(key, 1, cancellationToken) is { } stored && Freshness.IsFresh(stored, timeframe, now, settings.FreshnessSeconds))
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var fetcher = scope.ServiceProvider.GetRequiredService<MarketDataFetcher>();
                await fetcher.FetchAsync(key.Exchange, key.Symbol, timeframe, entry.Bars, extended: false, cancellationToken);
                LogWarmed(logger, key.ToString(), entry.Bars);
            }
            catch (TvException ex)
            {
                LogWarmUpFailed(logger, key.ToString(), ex.Kind, ex.Message);
            }
        }
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (settings.PurgeIntervalMinutes == 0 || now < _nextPurge)
        {
            return;
        }

        _nextPurge = now.AddMinutes(settings.PurgeIntervalMinutes);
        var seriesBefore = settings.DatabaseRetentionDays == 0 ? DateTimeOffset.UnixEpoch : now - TimeSpan.FromDays(settings.DatabaseRetentionDays);
        var reportsBefore = settings.QualityRetentionDays == 0 ? DateTimeOffset.UnixEpoch : now - TimeSpan.FromDays(settings.QualityRetentionDays);
        var purged = await store.PurgeAsync(settings.BarsPerSeries(tradingView.Value.MaxBars), settings.DatabaseMaxSeries, seriesBefore, reportsBefore, cancellationToken);
        LogPurged(logger, purged.Bars, purged.QualityReports, purged.Series);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed {Series} ({Bars} bars)")]
    private static partial void LogWarmed(ILogger logger, string series, int bars);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming {Series} failed ({Kind}): {Error}")]
    private static partial void LogWarmUpFailed(ILogger logger, string series, string kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Market data purge: {Bars} bar(s), {Reports} quality report(s), {Series} series removed")]
    private static partial void LogPurged(ILogger logger, int bars, int reports, long series);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Market data maintenance failed: {Error}")]
    private static partial void LogMaintenanceFailed(ILogger logger, string error);
}
