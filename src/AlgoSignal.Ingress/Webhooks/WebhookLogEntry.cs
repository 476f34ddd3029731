namespace AlgoSignal.Ingress.Webhooks;

/// <summary>One webhook request as the log keeps it; <see cref="Payload"/> is redacted JSON or null.</summary>
public sealed record WebhookLogEntry(
    DateTimeOffset ReceivedAt,
    string Route,
    string? SourceIp,
    int Status,
    string? Reason,
    Guid? AlertId,
    string? Strategy,
    string? Payload,
    int Count = 1);
