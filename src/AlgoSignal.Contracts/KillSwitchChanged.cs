namespace AlgoSignal.Contracts;

/// <summary>The global kill switch was engaged or released (through the API or the console).</summary>
/// <param name="Enabled">True: new orders stop.</param>
/// <param name="Reason">The reason given, if any.</param>
/// <param name="ChangedBy">Who changed it: the console session or an API key, and the client address.</param>
/// <param name="ChangedAt">When (UTC).</param>
public sealed record KillSwitchChanged(bool Enabled, string? Reason, string ChangedBy, DateTimeOffset ChangedAt);
