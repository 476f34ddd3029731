namespace AlgoSignal.Ingress.Api;

/// <summary>The kill switch; <c>UpdatedBy</c> names who made the last change (absent for changes made before it was stored).</summary>
public sealed record KillSwitchView(bool Enabled, string? Reason, DateTimeOffset UpdatedAt, string? UpdatedBy = null);
