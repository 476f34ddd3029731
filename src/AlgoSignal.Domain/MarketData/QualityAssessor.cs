namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// Scores a bar series on six dimensions (docs/architecture.md, "Market data quality"): completeness (gaps against the interval,
/// outside the session's closed hours), accuracy (OHLC relations, positive prices, volume ≥ 0),
/// consistency (jumps and volume spikes), timeliness (age of the newest closed bar), validity (finite
/// numbers, sane and not future timestamps) and uniqueness (duplicate timestamps).
/// </summary>
public static class QualityAssessor
{
    private const int MaxFindingsPerRule = 20;
    private static readonly DateTimeOffset Earliest = new(1970, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What to do about each rule's finding (README, "Market data: TradingView bars").</summary>
    private static readonly Dictionary<string, string> Suggestions = new(StringComparer.Ordinal)
    {
        ["no_bars"] = "Check the exchange prefix and the symbol (GET /api/v1/symbols?q=) and that the market traded in the range.",
        ["invalid_value"] = "Refetch the range; the source sent a value that is not a number or a timestamp outside a sane range.",
        ["duplicate_timestamp"] = "The source sent this bar more than once; the stored series keeps the last copy. Compare with a second source if it recurs.",
        ["gap"] = "Refetch the range with use_cache=false; a gap over a holiday or a halt is expected.",
        ["ohlc_violation"] = "Refetch the bar, or set MarketData:Quality:AutoCorrect=true to repair high and low from open and close.",
        ["price_jump"] = "Compare with a second source; a split, a roll or a bad tick causes jumps like this.",
        ["volume_spike"] = "Compare the volume with a second source before trusting volume-based signals.",
        ["stale"] = "Fetch again with use_cache=false; anonymous TradingView data can be 15 minutes late and a halted market stops updating.",
    };

    public static QualityReport Assess(IReadOnlyList<Bar> bars, Timeframe timeframe, DateTimeOffset now, QualityOptions options, TradingSession? session = null)
    {
        var findings = new List<QualityFinding>();
        if (bars.Count == 0)
        {
            findings.Add(new QualityFinding("completeness", "no_bars", null, "No bars were received.", Suggestions["no_bars"]));
            return new QualityReport(0, QualityReport.Critical, 0, 0, 0, 0, 0, 0, findings);
        }

        var ordered = bars.OrderBy(b => b.Time).ToList();
        var validity = Validity(ordered, timeframe, now, findings);
        var uniqueness = Uniqueness(ordered, findings);
        var distinct = ordered.Where(IsFinite).DistinctBy(b => b.Time).ToList();
        var completeness = Completeness(distinct, timeframe, session ?? TradingSession.AlwaysOpen, findings);
        var accuracy = Accuracy(distinct, findings);
        var consistency = Consistency(distinct, options, findings);
        var timeliness = Timeliness(distinct, timeframe, now, session ?? TradingSession.AlwaysOpen, findings);

        var weights = options.CompletenessWeight + options.AccuracyWeight + options.ConsistencyWeight + options.TimelinessWeight + options.ValidityWeight + options.UniquenessWeight;
        var score = ((completeness * options.CompletenessWeight) + (accuracy * options.AccuracyWeight) + (consistency * options.ConsistencyWeight)
            + (timeliness * options.TimelinessWeight) + (validity * options.ValidityWeight) + (uniqueness * options.UniquenessWeight)) / weights;
        score = Math.Round(score, 4);
        var level = score < options.CriticalScore ? QualityReport.Critical : score < options.WarningScore ? QualityReport.Warning : QualityReport.Good;
        return new QualityReport(score, level, Round(completeness), Round(accuracy), Round(consistency), Round(timeliness), Round(validity), Round(uniqueness), findings);
    }

    private static double Validity(List<Bar> bars, Timeframe timeframe, DateTimeOffset now, List<QualityFinding> findings)
    {
        var invalid = 0;
        foreach (var bar in bars)
        {
            string? problem = !IsFinite(bar) ? "a price or the volume is not a finite number"
                : bar.Time < Earliest ? $"timestamp {bar.Time:O} is before 1970"
                : bar.Time > now + timeframe.Length ? $"timestamp {bar.Time:O} is in the future"
                : null;
            if (problem is not null)
            {
                invalid++;
                Add(findings, "validity", "invalid_value", bar.Time, problem);
            }
        }

        return 1.0 - ((double)invalid / bars.Count);
    }

    private static double Uniqueness(List<Bar> bars, List<QualityFinding> findings)
    {
        var duplicates = 0;
        for (var i = 1; i < bars.Count; i++)
        {
            if (bars[i].Time == bars[i - 1].Time)
            {
                duplicates++;
                Add(findings, "uniqueness", "duplicate_timestamp", bars[i].Time, "two bars share this timestamp");
            }
        }

        return 1.0 - ((double)duplicates / bars.Count);
    }

    private static double Completeness(List<Bar> bars, Timeframe timeframe, TradingSession session, List<QualityFinding> findings)
    {
        if (bars.Count < 2)
        {
            return 1.0;
        }

        long missing = 0;
        for (var i = 1; i < bars.Count; i++)
        {
            var expectedMissing = session.OpenIntervalsBetween(bars[i - 1].Time, bars[i].Time, timeframe) - 1;
            if (expectedMissing > 0)
            {
                missing += expectedMissing;
                Add(findings, "completeness", "gap", bars[i - 1].Time + timeframe.Length,
                    $"{expectedMissing} bar(s) missing between {bars[i - 1].Time:O} and {bars[i].Time:O}");
            }
        }

        return (double)bars.Count / (bars.Count + missing);
    }

    private static double Accuracy(List<Bar> bars, List<QualityFinding> findings)
    {
        var bad = 0;
        foreach (var bar in bars)
        {
            string? problem = bar.Open <= 0 || bar.High <= 0 || bar.Low <= 0 || bar.Close <= 0 ? "a price is zero or negative"
                : bar.High < bar.Low ? $"high {bar.High} is below low {bar.Low}"
                : bar.High < Math.Max(bar.Open, bar.Close) ? $"high {bar.High} is below max(open, close) {Math.Max(bar.Open, bar.Close)}"
                : bar.Low > Math.Min(bar.Open, bar.Close) ? $"low {bar.Low} is above min(open, close) {Math.Min(bar.Open, bar.Close)}"
                : bar.Volume < 0 ? $"volume {bar.Volume} is negative"
                : null;
            if (problem is not null)
            {
                bad++;
                Add(findings, "accuracy", "ohlc_violation", bar.Time, problem);
            }
        }

        return 1.0 - ((double)bad / bars.Count);
    }

    private static double Consistency(List<Bar> bars, QualityOptions options, List<QualityFinding> findings)
    {
        if (bars.Count < 2)
        {
            return 1.0;
        }

        var anomalies = 0;
        var volumes = bars.Where(b => b.Volume is > 0).Select(b => b.Volume!.Value).Order().ToList();
        var median = volumes.Count == 0 ? 0 : volumes[volumes.Count / 2];
        for (var i = 1; i < bars.Count; i++)
        {
            var previous = bars[i - 1].Close;
            var change = previous > 0 ? Math.Abs(bars[i].Close - previous) / previous : 0;
            if (change > options.MaxPriceDeviation)
            {
                anomalies++;
                Add(findings, "consistency", "price_jump", bars[i].Time, $"close moved {change:P1} from {previous} to {bars[i].Close}");
            }
            else if (median > 0 && bars[i].Volume is { } volume && volume > options.MaxVolumeDeviation * median)
            {
                anomalies++;
                Add(findings, "consistency", "volume_spike", bars[i].Time, $"volume {volume} is {volume / median:0.#}× the median {median}");
            }
        }

        return 1.0 - ((double)anomalies / (bars.Count - 1));
    }

    private static double Timeliness(List<Bar> bars, Timeframe timeframe, DateTimeOffset now, TradingSession session, List<QualityFinding> findings)
    {
        var newest = bars.LastOrDefault(b => !b.IsForming) ?? bars[^1];
        var closedAt = newest.Time + timeframe.Length;

        // Time the market was closed does not make data stale.
        var openIntervalsSince = session.OpenIntervalsBetween(closedAt, now, timeframe);
        if (openIntervalsSince <= 1)
        {
            return 1.0;
        }

        var score = Math.Max(0.0, 1.0 - ((openIntervalsSince - 1) / 9.0));
        Add(findings, "timeliness", "stale", newest.Time, $"the newest closed bar ended {openIntervalsSince} interval(s) of open market ago");
        return score;
    }

    /// <summary>
    /// Repairs what can be repaired without guessing: a high below the body or the low becomes the largest
    /// of open, high, low and close, a low above it the smallest. Other problems are left for the report.
    /// Each change is returned, so it can be kept beside the report that found it.
    /// </summary>
    public static List<Bar> Correct(IReadOnlyList<Bar> bars, List<QualityCorrection> corrections)
    {
        var repaired = new List<Bar>(bars.Count);
        foreach (var bar in bars)
        {
            if (!IsFinite(bar))
            {
                repaired.Add(bar);
                continue;
            }

            var high = Math.Max(Math.Max(bar.Open, bar.Close), Math.Max(bar.High, bar.Low));
            var low = Math.Min(Math.Min(bar.Open, bar.Close), Math.Min(bar.High, bar.Low));
            if (high != bar.High)
            {
                corrections.Add(new QualityCorrection(bar.Time, "high", bar.High, high));
            }

            if (low != bar.Low)
            {
                corrections.Add(new QualityCorrection(bar.Time, "low", bar.Low, low));
            }

            repaired.Add(high == bar.High && low == bar.Low ? bar : bar with { High = high, Low = low });
        }

        return repaired;
    }

    private static bool IsFinite(Bar bar) =>
        double.IsFinite(bar.Open) && double.IsFinite(bar.High) && double.IsFinite(bar.Low) && double.IsFinite(bar.Close) && (bar.Volume is null || double.IsFinite(bar.Volume.Value));

    private static void Add(List<QualityFinding> findings, string dimension, string rule, DateTimeOffset? time, string detail)
    {
        if (findings.Count(f => f.Rule == rule) < MaxFindingsPerRule)
        {
            findings.Add(new QualityFinding(dimension, rule, time, detail, Suggestions[rule]));
        }
    }

    private static double Round(double value) => Math.Round(value, 4);
}
