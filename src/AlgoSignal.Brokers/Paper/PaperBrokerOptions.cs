using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Brokers.Paper;

/// <summary><c>Brokers:Paper:*</c>.</summary>
public sealed class PaperBrokerOptions
{
    public const string Section = "Brokers:Paper";

    [Range(0, 1_000_000_000_000, ErrorMessage = "Brokers:Paper:InitialCash must be zero or more.")]
    public decimal InitialCash { get; set; } = 100_000m;

    [Range(0, 1_000, ErrorMessage = "Brokers:Paper:SlippageBps must be between 0 and 1000.")]
    public decimal SlippageBps { get; set; }

    [Range(0, 1_000, ErrorMessage = "Brokers:Paper:FeeBps must be between 0 and 1000.")]
    public decimal FeeBps { get; set; }

    /// <summary>Quantities are rounded down to this step.</summary>
    public decimal LotStep { get; set; } = 0.00000001m;

    /// <summary>
    /// Follow the live feed (the symbol's market-data provider) of every symbol with resting paper orders or an
    /// open paper position: resting orders trigger on market prices, unpriced market orders fill at the market,
    /// positions are marked to it, and each account keeps an equity series.
    /// </summary>
    public bool FollowMarket { get; set; } = true;

    /// <summary>How often the symbols to follow are looked up again.</summary>
    [Range(1, 3_600, ErrorMessage = "Brokers:Paper:MarketRefreshSeconds must be between 1 and 3600.")]
    public int MarketRefreshSeconds { get; set; } = 5;

    /// <summary>A market price older than this is not used to fill an order that came without a price.</summary>
    [Range(1, 86_400, ErrorMessage = "Brokers:Paper:MaxQuoteAgeSeconds must be between 1 and 86400.")]
    public int MaxQuoteAgeSeconds { get; set; } = 30;

    /// <summary>One equity point per paper account per this many seconds.</summary>
    [Range(1, 86_400, ErrorMessage = "Brokers:Paper:EquityIntervalSeconds must be between 1 and 86400.")]
    public int EquityIntervalSeconds { get; set; } = 60;
}
