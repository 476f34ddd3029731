namespace AlgoSignal.Ingress.Console;

/// <summary>The data of the stream's <c>alert</c> event: an alert reached a final state.</summary>
public sealed record LiveAlert(Guid AlertId, string? Strategy, string? Symbol, string? Action, string Status, string? Reason, DateTimeOffset FinishedAt);
