namespace AlgoSignal.Ingress.Api;

/// <summary><c>Api:*</c>: the keys accepted in <c>X-Api-Key</c>, and the address URLs in answers are built from.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// How users and TradingView reach this ingress, e.g. <c>https://alerts.example.com</c> (a path
    /// prefix is kept, for a reverse proxy that mounts the ingress under one): the base of
    /// <c>webhook_url</c> and of the OpenAPI document's server. Empty: the first address the ingress listens on.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public static bool IsValidBaseUrl(string? value) =>
        string.IsNullOrEmpty(value)
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0);
}
