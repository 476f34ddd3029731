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

    /// <summary>Where every fetch writes its CSV (<c>{exchange}_{symbol}_{timeframe}.csv</c>).</summary>
    public string DatasetsPath { get; set; } = "outputs/datasets/tradingview";

    /// <summary>Write the CSV of every fetch.</summary>
    public bool ExportDatasets { get; set; } = true;

    public QualityOptions Quality { get; set; } = new();

    public long MemoryBytes => MemoryMegabytes * 1024L * 1024L;
}
