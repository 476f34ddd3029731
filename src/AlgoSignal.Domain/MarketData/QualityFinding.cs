namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// One concrete problem: which dimension, which rule, which bar (if any), what was seen, and what to do
/// about it (<paramref name="Suggestion"/>).
/// </summary>
public sealed record QualityFinding(string Dimension, string Rule, DateTimeOffset? BarTime, string Detail, string? Suggestion = null);
