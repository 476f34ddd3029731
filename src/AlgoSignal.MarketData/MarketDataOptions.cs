using System.ComponentModel.DataAnnotations;
using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData;

/// <summary><c>MarketData:Cache:*</c> and <c>MarketData:Quality:*</c>.</summary>
public sealed class MarketDataOptions
{
    public const string CacheSection = "MarketData:Cache";

    /// <summary>Series kept in memory (L1).</summary>
    [Range(1, 1_000_000, ErrorMessage = "MarketData:Cache:MemoryEntries must be between 1 and 1000000.")]
    public int MemoryEntries { get; set; } = 1_000;

    /// <summary>What the series in memory (L1) may hold together, estimated from their bars; the least recently used go first.</summary>
    [Range(1, 65_536, ErrorMessage = "MarketData:Cache:MemoryMegabytes must be between 1 and 65536.")]
    public int MemoryMegabytes { get; set; } = 256;

    /// <summary>Series kept in PostgreSQL (L2); beyond it the least recently fetched are deleted. 0 keeps every one.</summary>
    [Range(0, 1_000_000, ErrorMessage = "MarketData:Cache:DatabaseMaxSeries must be between 0 (no limit) and 1000000.")]
    public int DatabaseMaxSeries { get; set; } = 500;

    /// <summary>Series not fetched for this many days are deleted from PostgreSQL (L2), with their quality history. 0 keeps them.</summary>
    [Range(0, 36_500, ErrorMessage = "MarketData:Cache:DatabaseRetentionDays must be between 0 (no limit) and 36500.")]
    public int DatabaseRetentionDays { get; set; } = 30;

    /// <summary>How long a series answers from cache, per timeframe (seconds); unlisted timeframes: one interval, 30 s to 1 h.</summary>
    public Dictionary<string, int> FreshnessSeconds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bars kept per series in PostgreSQL (L2); older ones are purged. 0: as many as <c>MarketData:TradingView:MaxBars</c>.</summary>
    [Range(0, 10_000_000, ErrorMessage = "MarketData:Cache:DatabaseMaxBarsPerSeries must be between 0 and 10000000.")]
    public int DatabaseMaxBarsPerSeries { get; set; }

    /// <summary>Quality reports older than this many days are purged (0 keeps them).</summary>
    [Range(0, 36_500, ErrorMessage = "MarketData:Cache:QualityRetentionDays must be between 0 (no limit) and 36500.")]
    public int QualityRetentionDays { get; set; } = 30;

    /// <summary>How often the worker purges L2 (bars per series, old series, old quality reports); 0 turns the schedule off.</summary>
    [Range(0, 10_080, ErrorMessage = "MarketData:Cache:PurgeIntervalMinutes must be between 0 (off) and 10080.")]
    public int PurgeIntervalMinutes { get; set; } = 60;

    /// <summary>Series fetched when the worker starts and kept fresh from then on (cache warming).</summary>
    public List<WarmUpSeries> WarmUp { get; set; } = [];

    /// <summary>Where every fetch writes its CSV (<c>{exchange}_{symbol}_{timeframe}.csv</c>).</summary>
    public string DatasetsPath { get; set; } = "outputs/datasets/tradingview";

    /// <summary>Write the CSV of every fetch.</summary>
    public bool ExportDatasets { get; set; } = true;

    public QualityOptions Quality { get; set; } = new();

    public long MemoryBytes => MemoryMegabytes * 1024L * 1024L;

    /// <summary>Bars kept per series in L2: <see cref="DatabaseMaxBarsPerSeries"/>, or the largest fetch when it is 0.</summary>
    public int BarsPerSeries(int maxBars) => DatabaseMaxBarsPerSeries > 0 ? DatabaseMaxBarsPerSeries : maxBars;
}
