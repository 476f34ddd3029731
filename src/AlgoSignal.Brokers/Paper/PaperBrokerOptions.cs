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
}
