namespace AlgoSignal.Brokers;

/// <summary>Decides a broker endpoint's <see cref="BrokerEnvironment"/>: the explicit setting wins, then the known test hosts; anything else is live.</summary>
public static class BrokerEnvironments
{
    /// <summary>The values <c>Brokers:&lt;Broker&gt;:Environment</c> accepts.</summary>
    public const string Accepted = "live, testnet, demo, simulator or paper";

    public static bool TryParse(string? text, out BrokerEnvironment environment)
    {
        environment = BrokerEnvironment.Live;
        return !string.IsNullOrWhiteSpace(text)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out environment)
            && Enum.IsDefined(environment)
            && !int.TryParse(text, out _);
    }

    /// <summary>
    /// The environment of <paramref name="baseUrl"/>: <paramref name="configured"/> when set, the known test host's
    /// environment when the host is one of <paramref name="testHosts"/>, otherwise live.
    /// </summary>
    public static BrokerEnvironment Resolve(string? configured, string? baseUrl, IReadOnlyDictionary<string, BrokerEnvironment> testHosts)
    {
        if (TryParse(configured, out var explicitEnvironment))
        {
            return explicitEnvironment;
        }

        return Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && testHosts.TryGetValue(uri.Host, out var known)
            ? known
            : BrokerEnvironment.Live;
    }

    /// <summary>Why an endpoint counts as live, for the rejection of a non-live strategy and the start-up log.</summary>
    public static string Explain(string section, string? configured, string? baseUrl, BrokerEnvironment environment) =>
        TryParse(configured, out _)
            ? $"{section}:Environment is {environment.ToString().ToLowerInvariant()}"
            : environment == BrokerEnvironment.Live
                ? $"{Host(baseUrl)} is not a known test endpoint, so it counts as live; set {section}:Environment ({Accepted}) to declare it"
                : $"{Host(baseUrl)} is a known {environment.ToString().ToLowerInvariant()} endpoint";

    private static string Host(string? baseUrl) => Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.Host : baseUrl ?? "(no address)";
}
