namespace AlgoSignal.Ingress.Api;

public sealed record AlertSummary(Guid AlertId, string? Strategy, string Status, string? Reason, Guid? DuplicateOf, string Source, DateTimeOffset ReceivedAt, string? Symbol = null);
