namespace AlgoSignal.Ingress.Api;

/// <summary>
/// One order event. For a paper trigger or fill, <paramref name="FillTrigger"/> says which price caused it
/// (<c>alert</c> or <c>market</c>), <paramref name="TriggerPrice"/> that price and <paramref name="TriggeredAt"/> when it was seen.
/// </summary>
public sealed record OrderEventView(string Type, decimal? Quantity, decimal? Price, string? Message, DateTimeOffset CreatedAt,
    string? FillTrigger = null, decimal? TriggerPrice = null, DateTimeOffset? TriggeredAt = null);
