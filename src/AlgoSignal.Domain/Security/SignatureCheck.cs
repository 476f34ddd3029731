namespace AlgoSignal.Domain.Security;

public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Stale,
    Mismatch,

    /// <summary>Signed with an empty secret: the sender's secret is not set.</summary>
    EmptySecret,
}
