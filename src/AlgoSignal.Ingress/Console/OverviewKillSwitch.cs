namespace AlgoSignal.Ingress.Console;

/// <summary>The kill switch; <c>changed_by</c> when this ingress heard of the change that set it.</summary>
public sealed record OverviewKillSwitch(bool Enabled, string? Reason, DateTimeOffset UpdatedAt, string? ChangedBy);
