using System.Text.Json;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// The full story of one alert (docs/architecture.md, "Management API"; README, "The alert story"). The fields
/// after <c>Orders</c> are absent (not null) when nothing is stored for them.
/// </summary>
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
    IReadOnlyList<OrderView> Orders,
    string? Symbol = null,
    string? Route = null,
    DateTimeOffset? DecidedAt = null,
    SizingView? Sizing = null,
    IReadOnlyList<PositionView>? Positions = null);
