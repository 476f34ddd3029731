using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData.Providers;

/// <summary><c>MarketData:Mock:*</c>: how the mock provider's live feed ticks and where replayed datasets are.</summary>
public sealed class MockDataOptions
{
    public const string Section = "MarketData:Mock";

    /// <summary>How often the live feed sends the forming bar.</summary>
    [Range(10, 60_000, ErrorMessage = "MarketData:Mock:TickMilliseconds must be between 10 and 60000.")]
    public int TickMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// A folder of CSV datasets (<c>{EXCHANGE}_{SYMBOL}_{timeframe}.csv</c>, the export's format): a series found
    /// there is replayed, re-timed to end now, instead of synthesised.
    /// </summary>
    public string? ReplayPath { get; set; }

    /// <summary>How far the synthetic price swings around its level, as a fraction (0.05 = ±5 %).</summary>
    [Range(0.0001, 0.5, ErrorMessage = "MarketData:Mock:Amplitude must be between 0.0001 and 0.5.")]
    public double Amplitude { get; set; } = 0.03;
}
