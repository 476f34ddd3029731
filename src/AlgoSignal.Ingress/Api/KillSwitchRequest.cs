namespace AlgoSignal.Ingress.Api;

/// <summary>The kill switch's body: <c>enabled</c> required, <c>reason</c> optional (at most 500 characters).</summary>
public sealed record KillSwitchRequest(bool Enabled, string? Reason);
