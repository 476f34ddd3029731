using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Brokers.InteractiveBrokers;

/// <summary><c>Brokers:InteractiveBrokers:*</c>: the Client Portal Gateway the user runs and logs in to.</summary>
public sealed class InteractiveBrokersOptions
{
    public const string Section = "Brokers:InteractiveBrokers";

    [Required(ErrorMessage = "Brokers:InteractiveBrokers:BaseUrl is required (the gateway, e.g. https://localhost:5000/v1/api).")]
    public string BaseUrl { get; set; } = "https://localhost:5000/v1/api";

    public string? AccountId { get; set; }

    /// <summary>The gateway ships a self-signed certificate; accept it for this host only when set.</summary>
    public bool AllowSelfSignedCertificate { get; set; }

    [Range(1, 120, ErrorMessage = "Brokers:InteractiveBrokers:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Requests per second through the gateway (IBKR allows 10).</summary>
    [Range(1, 100, ErrorMessage = "Brokers:InteractiveBrokers:RequestsPerSecond must be between 1 and 100.")]
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>Paper accounts at IBKR begin with "D" (e.g. DU1234567); any other account trades real money.</summary>
    public bool IsLive => AccountId is { Length: > 0 } id && !id.StartsWith('D');
}
