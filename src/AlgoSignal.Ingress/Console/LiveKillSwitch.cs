namespace AlgoSignal.Ingress.Console;

/// <summary>The data of the stream's <c>kill_switch</c> event.</summary>
public sealed record LiveKillSwitch(bool Enabled, string State, string? Reason, string ChangedBy, DateTimeOffset ChangedAt);
