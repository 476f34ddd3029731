namespace AlgoSignal.Ingress.Security;

public enum ApiKeyStatus
{
    Valid,
    Missing,
    Invalid,

    /// <summary>The client address sent too many wrong keys; refused whatever key it presents now.</summary>
    Limited,
}
