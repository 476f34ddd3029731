namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// Weights and thresholds of the six quality dimensions (docs/architecture.md, "Market data quality").
/// <c>MarketData:Quality:*</c>.
/// </summary>
public sealed class QualityOptions
{
    public double CompletenessWeight { get; set; } = 0.25;
    public double AccuracyWeight { get; set; } = 0.25;
    public double ConsistencyWeight { get; set; } = 0.20;
    public double TimelinessWeight { get; set; } = 0.15;
    public double ValidityWeight { get; set; } = 0.10;
    public double UniquenessWeight { get; set; } = 0.05;

    /// <summary>Below this overall score: warning.</summary>
    public double WarningScore { get; set; } = 0.8;

    /// <summary>Below this overall score: critical.</summary>
    public double CriticalScore { get; set; } = 0.6;

    /// <summary>A close-to-close move larger than this fraction is a jump (20 %).</summary>
    public double MaxPriceDeviation { get; set; } = 0.20;

    /// <summary>A volume above this multiple of the median is a spike.</summary>
    public double MaxVolumeDeviation { get; set; } = 5.0;

    /// <summary>Data whose score is below this are served but not cached (0 = cache everything).</summary>
    public double MinScoreToCache { get; set; }

    /// <summary>
    /// Fetches of a series in a row that must score below good before <c>DataQualityDegraded</c> is raised; it is
    /// raised once per such episode, and a good fetch ends the episode.
    /// </summary>
    public int MaxConsecutiveFailures { get; set; } = 3;

    /// <summary>Repair high/low inconsistencies after scoring, recording each correction beside the report.</summary>
    public bool AutoCorrect { get; set; }
}
