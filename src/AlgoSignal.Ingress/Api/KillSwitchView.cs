namespace AlgoSignal.Ingress.Api;

public sealed record KillSwitchView(bool Enabled, string? Reason, DateTimeOffset UpdatedAt);
