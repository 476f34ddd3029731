namespace AlgoSignal.Contracts;

/// <summary>A fetched series scored below the warning threshold.</summary>
/// <param name="Exchange">The exchange.</param>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timeframe">The protocol's timeframe code.</param>
/// <param name="Score">The overall score (0–1).</param>
/// <param name="Level"><c>warning</c> or <c>critical</c>.</param>
/// <param name="Findings">The first findings, as "dimension/rule: detail".</param>
public sealed record DataQualityDegraded(string Exchange, string Symbol, string Timeframe, double Score, string Level, IReadOnlyList<string> Findings);
