namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// The six dimension scores (0–1), the weighted overall score, its level and the findings; with
/// <c>MarketData:Quality:AutoCorrect</c>, the repairs made after scoring (<paramref name="Corrections"/>).
/// </summary>
public sealed record QualityReport(
    double Score,
    string Level,
    double Completeness,
    double Accuracy,
    double Consistency,
    double Timeliness,
    double Validity,
    double Uniqueness,
    IReadOnlyList<QualityFinding> Findings,
    IReadOnlyList<QualityCorrection>? Corrections = null)
{
    public const string Good = "good";
    public const string Warning = "warning";
    public const string Critical = "critical";
}
