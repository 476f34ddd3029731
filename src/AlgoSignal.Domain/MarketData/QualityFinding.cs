namespace AlgoSignal.Domain.MarketData;

/// <summary>One concrete problem: which dimension, which rule, which bar (if any), and what was seen.</summary>
public sealed record QualityFinding(string Dimension, string Rule, DateTimeOffset? BarTime, string Detail);
