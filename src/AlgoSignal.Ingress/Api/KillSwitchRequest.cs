namespace AlgoSignal.Ingress.Api;

public sealed record KillSwitchRequest(bool? Enabled, string? Reason);
