using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData;

/// <summary><c>MarketData:Exports:*</c>: how many CSV datasets are kept, and for how long.</summary>
public sealed class ExportOptions
{
    public const string Section = "MarketData:Exports";

    /// <summary>Dataset files kept in the datasets directory; beyond it the oldest are deleted. 0 keeps every one.</summary>
    [Range(0, 1_000_000, ErrorMessage = "MarketData:Exports:MaxFiles must be between 0 (no limit) and 1000000.")]
    public int MaxFiles { get; set; } = 500;

    /// <summary>Dataset files not rewritten for this many days are deleted. 0 keeps them.</summary>
    [Range(0, 36_500, ErrorMessage = "MarketData:Exports:MaxAgeDays must be between 0 (no limit) and 36500.")]
    public int MaxAgeDays { get; set; } = 30;
}
