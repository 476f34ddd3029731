namespace AlgoSignal.Cli;

/// <summary>
/// Where AlgoSignal is and how to authenticate: a command-line option wins, else the environment
/// (<c>ALGOSIGNAL_URL</c>, <c>ALGOSIGNAL_API_KEY</c>, <c>ALGOSIGNAL_HMAC_SECRET</c>, which
/// <c>source .local/env</c> sets after <c>infra/run.sh</c>).
/// </summary>
public static class Connection
{
    public const string UrlVariable = "ALGOSIGNAL_URL";
    public const string ApiKeyVariable = "ALGOSIGNAL_API_KEY";
    public const string SecretVariable = "ALGOSIGNAL_HMAC_SECRET";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private const string SetUpHint = "after infra/run.sh, run: source .local/env";

    public static Uri Url(string? option)
    {
        var (value, from) = option is not null ? (option, "--url") : (Environment.GetEnvironmentVariable(UrlVariable), UrlVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return new Uri(DefaultUrl);
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
        {
            throw new CliFailure($"{from} \"{value}\" is not an http(s) URL; give the ingress's base URL, e.g. {DefaultUrl}.", CliFailure.Usage);
        }

        return url;
    }

    public static string Secret(string? option) =>
        Required(option, "--secret", SecretVariable, "HMAC secret (one of the ingress's Webhook:HmacSecrets)");

    public static string ApiKey(string? option) =>
        Required(option, "--api-key", ApiKeyVariable, "API key (one of the ingress's Api:Keys)");

    private static string Required(string? option, string optionName, string variable, string what)
    {
        var (value, from) = option is not null ? (option, optionName) : (Environment.GetEnvironmentVariable(variable), variable);
        if (value is null)
        {
            throw new CliFailure($"no {what}: pass {optionName} or set {variable} ({SetUpHint}).", CliFailure.Usage);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            // An empty secret would still produce a signature, which the ingress can only refuse.
            throw new CliFailure($"the {what} is empty ({from} is set but empty): pass {optionName} or set {variable} ({SetUpHint}).", CliFailure.Usage);
        }

        return value;
    }
}
