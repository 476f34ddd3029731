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

    /// <summary>Where every fetch writes its CSV (<c>{exchange}_{symbol}_{timeframe}_{n_bars}.csv</c>).</summary>
    public string DatasetsPath { get; set; } = "outputs/datasets/tradingview";

    /// <summary>Write the CSV of every fetch.</summary>
    public bool ExportDatasets { get; set; } = true;

    public QualityOptions Quality { get; set; } = new();
}
