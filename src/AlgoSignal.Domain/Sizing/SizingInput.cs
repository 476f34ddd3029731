using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Sizing;

public sealed record SizingInput(
    SizingRule Rule,
    decimal RiskMultiplier,
    decimal? AlertQuantity,
    decimal? Price,
    decimal? StopLoss,
    decimal Equity,
    decimal LotStep,
    decimal MinQuantity);
