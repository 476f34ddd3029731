namespace AlgoSignal.Ingress.Security;

/// <summary>The outcome of checking a request's API key; <see cref="RetryAfterSeconds"/> is set when limited.</summary>
public readonly record struct ApiKeyCheck(ApiKeyStatus Status, int RetryAfterSeconds = 0)
{
    public bool IsValid => Status == ApiKeyStatus.Valid;
}
