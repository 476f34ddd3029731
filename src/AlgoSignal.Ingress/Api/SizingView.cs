namespace AlgoSignal.Ingress.Api;

/// <summary>
/// How an entry's quantity was computed (README, "The alert story"): the source of the raw size, the strategy's
/// risk multiplier, and the quantity placed (rounded down to the lot step).
/// </summary>
public sealed record SizingView(
    string Mode,
    string Source,
    decimal? RawQuantity,
    decimal RiskMultiplier,
    decimal Quantity,
    string Arithmetic,
    bool DefinitionChangedSince);
