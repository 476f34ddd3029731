using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary><c>Brokers:TradeStation:*</c>. The simulator is the default; <c>https://api.tradestation.com/v3</c> is live.</summary>
public sealed class TradeStationOptions
{
    public const string Section = "Brokers:TradeStation";

    [Required(ErrorMessage = "Brokers:TradeStation:BaseUrl is required.")]
    public string BaseUrl { get; set; } = "https://sim-api.tradestation.com/v3";

    [Required(ErrorMessage = "Brokers:TradeStation:TokenUrl is required.")]
    public string TokenUrl { get; set; } = "https://signin.tradestation.com/oauth/token";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The first refresh token; rotated ones are kept in PostgreSQL and win over this.</summary>
    public string? RefreshToken { get; set; }

    public string? AccountId { get; set; }

    [Range(1, 120, ErrorMessage = "Brokers:TradeStation:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 10;

    public bool IsLive => Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Host == "api.tradestation.com";
}
