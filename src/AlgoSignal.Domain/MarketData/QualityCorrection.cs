namespace AlgoSignal.Domain.MarketData;

/// <summary>One repair <c>MarketData:Quality:AutoCorrect</c> made to a bar: which field, from what, to what.</summary>
public sealed record QualityCorrection(DateTimeOffset BarTime, string Field, double From, double To);
