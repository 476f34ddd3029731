namespace AlgoSignal.Ingress.Console;

/// <summary>The kill switch; <c>changed_by</c> (= <c>updated_by</c>) as stored with the change, else as this ingress heard of it.</summary>
public sealed record OverviewKillSwitch(bool Enabled, string? Reason, DateTimeOffset UpdatedAt, string? ChangedBy, string? UpdatedBy = null);
