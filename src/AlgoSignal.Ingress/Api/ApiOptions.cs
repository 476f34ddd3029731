namespace AlgoSignal.Ingress.Api;

/// <summary><c>Api:*</c>: the keys accepted in <c>X-Api-Key</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public List<string> Keys { get; set; } = [];
}
