using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary><c>Brokers:TradeStation:*</c>. The simulator is the default; any host but the simulator trades real money.</summary>
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


    /// <summary>Follow orders over TradeStation's order stream (polling takes over while it is down); off polls only.</summary>
    public bool StreamOrders { get; set; } = true;

    /// <summary>Seconds without a line (TradeStation sends heartbeats while idle) after which the order stream counts as dead.</summary>
    [Range(5, 600, ErrorMessage = "Brokers:TradeStation:StreamIdleSeconds must be between 5 and 600.")]
    public int StreamIdleSeconds { get; set; } = 30;

    /// <summary>
    /// <c>live</c>, <c>testnet</c>, <c>demo</c>, <c>simulator</c> or <c>paper</c>. Needed only for a host that is not a known
    /// test endpoint and does not trade real money (a relay in front of a testnet, say); without it such a host is live.
    /// </summary>
    [RegularExpression("(?i)^(live|testnet|demo|simulator|paper)$", ErrorMessage = "Brokers:TradeStation:Environment must be live, testnet, demo, simulator or paper.")]
    public string? Environment { get; set; }

    /// <summary>TradeStation's simulator host; every other host trades real money.</summary>
    public static IReadOnlyDictionary<string, BrokerEnvironment> TestHosts { get; } = new Dictionary<string, BrokerEnvironment>(StringComparer.OrdinalIgnoreCase)
    {
        ["sim-api.tradestation.com"] = BrokerEnvironment.Simulator,
    };

    public BrokerEnvironment ResolvedEnvironment => BrokerEnvironments.Resolve(Environment, BaseUrl, TestHosts);

    public bool IsLive => ResolvedEnvironment == BrokerEnvironment.Live;

    public string DescribeEnvironment() => BrokerEnvironments.Explain(Section, Environment, BaseUrl, ResolvedEnvironment);
}
