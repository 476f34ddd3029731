using System.Text.Json;

namespace AlgoSignal.Ingress.Api;

public sealed record WebhookLogView(
    long Id, DateTimeOffset ReceivedAt, string Route, string? SourceIp, int Status, string? Reason, Guid? AlertId, string? Strategy, int Count, JsonElement? Payload);
