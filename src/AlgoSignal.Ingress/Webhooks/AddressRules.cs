using System.Net;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Who is calling, and may they: the client address (believing <c>X-Forwarded-For</c> only from a
/// configured proxy) and the TradingView route's allowlist.
/// </summary>
public sealed class AddressRules
{
    /// <summary>The addresses TradingView sends webhooks from (TradingView help centre, "webhook alerts").</summary>
    public static readonly IReadOnlyList<string> TradingViewAddresses = ["52.89.214.238", "34.212.75.30", "54.218.53.128", "52.32.178.7"];

    private readonly IReadOnlyList<IPNetwork> _proxies;
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly bool _allowlistEnabled;

    public AddressRules(IOptions<WebhookOptions> options)
    {
        var settings = options.Value;
        _proxies = settings.TrustedProxies.Select(ParseNetwork).ToList();
        _allowlistEnabled = settings.IpAllowlist.Enabled;
        _allowed = settings.IpAllowlist.Cidrs
            .SelectMany(c => string.Equals(c, "tradingview", StringComparison.OrdinalIgnoreCase) ? TradingViewAddresses : [c])
            .Select(ParseNetwork)
            .ToList();
    }

    public static bool TryParseNetwork(string value, out IPNetwork network)
    {
        var text = value.Trim();
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
        {
            single = Normalize(single);
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    public IPAddress? ClientAddress(HttpContext http)
    {
        var peer = http.Connection.RemoteIpAddress is { } remote ? Normalize(remote) : null;
        if (peer is null || !_proxies.Any(p => p.Contains(peer)))
        {
            return peer;
        }

        // Walk X-Forwarded-For from the right: the first address that is not one of our proxies is the client.
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = forwarded.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(forwarded[i], out var hop))
            {
                return peer;
            }

            hop = Normalize(hop);
            if (!_proxies.Any(p => p.Contains(hop)))
            {
                return hop;
            }
        }

        return peer;
    }

    public bool IsAllowedOnTradingViewRoute(IPAddress? client) =>
        !_allowlistEnabled || (client is not null && _allowed.Any(n => n.Contains(client)));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPNetwork ParseNetwork(string value) =>
        TryParseNetwork(value, out var network) ? network : throw new OptionsValidationException(
            WebhookOptions.Section, typeof(WebhookOptions), [$"\"{value}\" is not an IP address or CIDR (Webhook:IpAllowlist:Cidrs / Webhook:TrustedProxies)."]);
}
