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


    /// <summary>
    /// <c>live</c>, <c>testnet</c>, <c>demo</c>, <c>simulator</c> or <c>paper</c>. Needed only for a host that is not a known
    /// test endpoint and does not trade real money (a relay in front of a testnet, say); without it such a host is live.
    /// </summary>
    [RegularExpression("(?i)^(live|testnet|demo|simulator|paper)$", ErrorMessage = "Brokers:InteractiveBrokers:Environment must be live, testnet, demo, simulator or paper.")]
    public string? Environment { get; set; }

    /// <summary>
    /// The gateway runs on the user's machine, so its host says nothing; the account does: paper accounts at IBKR
    /// begin with "D" (e.g. DU1234567), any other account trades real money.
    /// </summary>
    public BrokerEnvironment ResolvedEnvironment =>
        BrokerEnvironments.TryParse(Environment, out var configured) ? configured
        : AccountId is { Length: > 0 } id && id.StartsWith('D') ? BrokerEnvironment.Paper
        : BrokerEnvironment.Live;

    public bool IsLive => ResolvedEnvironment == BrokerEnvironment.Live;

    public string DescribeEnvironment() =>
        BrokerEnvironments.TryParse(Environment, out _) ? $"{Section}:Environment is {ResolvedEnvironment.ToString().ToLowerInvariant()}"
        : IsLive ? $"account {AccountId} is not a paper account (paper accounts begin with D), so it trades real money"
        : $"account {AccountId} is a paper account";
}
