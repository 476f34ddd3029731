using System.Text.Json;

namespace AlgoSignal.Ingress.Api;

/// <summary>The full story of one alert (docs/architecture.md, "Management API").</summary>
public sealed record AlertStory(
    Guid AlertId,
    string? Strategy,
    string Status,
    string? Reason,
    Guid? DuplicateOf,
    string Source,
    string? SourceIp,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Payload,
    JsonElement? Signal,
    RiskView? Risk,
    IReadOnlyList<OrderView> Orders);
