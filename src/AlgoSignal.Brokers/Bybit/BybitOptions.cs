using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Brokers.Bybit;

/// <summary><c>Brokers:Bybit:*</c>. The testnet is the default; any host but Bybit's known test hosts trades real money and is used only for live strategies with live trading on.</summary>
public sealed class BybitOptions
{
    public const string Section = "Brokers:Bybit";
    public const string Testnet = "https://api-testnet.bybit.com";
    public const string Mainnet = "https://api.bybit.com";

    [Required(ErrorMessage = "Brokers:Bybit:BaseUrl is required.")]
    public string BaseUrl { get; set; } = Testnet;

    public string? ApiKey { get; set; }

    public string? ApiSecret { get; set; }

    /// <summary>How long a signed request stays valid at the server (Bybit's default is 5,000 ms).</summary>
    [Range(1000, 60_000, ErrorMessage = "Brokers:Bybit:RecvWindowMs must be between 1000 and 60000.")]
    public int RecvWindowMs { get; set; } = 5_000;

    /// <summary>The coin positions settle in, for listing every position at reconciliation (<c>USDT</c> for linear perpetuals).</summary>
    public string SettleCoin { get; set; } = "USDT";

    /// <summary><c>linear</c> (USDT perpetuals), <c>inverse</c> or <c>spot</c>.</summary>
    public string Category { get; set; } = "linear";

    /// <summary>Per-call timeout.</summary>
    [Range(1, 120, ErrorMessage = "Brokers:Bybit:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Order requests per second (Bybit allows 10 per account on derivatives).</summary>
    [Range(1, 100, ErrorMessage = "Brokers:Bybit:RequestsPerSecond must be between 1 and 100.")]
    public int RequestsPerSecond { get; set; } = 10;


    /// <summary>
    /// <c>live</c>, <c>testnet</c>, <c>demo</c>, <c>simulator</c> or <c>paper</c>. Needed only for a host that is not a known
    /// test endpoint and does not trade real money (a relay in front of a testnet, say); without it such a host is live.
    /// </summary>
    [RegularExpression("(?i)^(live|testnet|demo|simulator|paper)$", ErrorMessage = "Brokers:Bybit:Environment must be live, testnet, demo, simulator or paper.")]
    public string? Environment { get; set; }

    /// <summary>Bybit's documented test hosts (testnet, demo trading, and the Japanese entity's testnet); every other host is a mainnet.</summary>
    public static IReadOnlyDictionary<string, BrokerEnvironment> TestHosts { get; } = new Dictionary<string, BrokerEnvironment>(StringComparer.OrdinalIgnoreCase)
    {
        ["api-testnet.bybit.com"] = BrokerEnvironment.Testnet,
        ["api-demo.bybit.com"] = BrokerEnvironment.Demo,
        ["api-testnet.manepa.jp"] = BrokerEnvironment.Testnet,
    };

    /// <summary>
    /// The private WebSocket that pushes order changes (V5 <c>/v5/private</c>). Empty: derived from a known REST host
    /// (<see cref="StreamHosts"/>), otherwise no stream and orders are polled; <c>none</c> turns the stream off.
    /// </summary>
    public string? StreamUrl { get; set; }

    /// <summary>Seconds between the pings that keep the private WebSocket open (Bybit recommends 20).</summary>
    [Range(1, 300, ErrorMessage = "Brokers:Bybit:PingSeconds must be between 1 and 300.")]
    public int PingSeconds { get; set; } = 20;

    /// <summary>Bybit's private stream for each known REST host.</summary>
    public static IReadOnlyDictionary<string, string> StreamHosts { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["api.bybit.com"] = "wss://stream.bybit.com/v5/private",
        ["api.bytick.com"] = "wss://stream.bytick.com/v5/private",
        ["api-testnet.bybit.com"] = "wss://stream-testnet.bybit.com/v5/private",
        ["api-demo.bybit.com"] = "wss://stream-demo.bybit.com/v5/private",
    };

    /// <summary>The private stream's address, or null when orders are only polled.</summary>
    public Uri? ResolvedStreamUrl =>
        string.Equals(StreamUrl?.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? null
        : !string.IsNullOrWhiteSpace(StreamUrl) ? new Uri(StreamUrl.Trim())
        : Uri.TryCreate(BaseUrl, UriKind.Absolute, out var rest) && StreamHosts.TryGetValue(rest.Host, out var known) ? new Uri(known)
        : null;

    public BrokerEnvironment ResolvedEnvironment => BrokerEnvironments.Resolve(Environment, BaseUrl, TestHosts);

    public bool IsLive => ResolvedEnvironment == BrokerEnvironment.Live;

    public string DescribeEnvironment() => BrokerEnvironments.Explain(Section, Environment, BaseUrl, ResolvedEnvironment);
}
