using AlgoSignal.Domain.MarketData;
using Shouldly;

namespace AlgoSignal.Domain.Tests.MarketData;

public sealed class QualityAssessorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly Timeframe Hour = Parse("1h");
    private static readonly QualityOptions Options = new();

    private static Timeframe Parse(string value) => Timeframe.TryParse(value, out var t) ? t : throw new ArgumentException(value);

    /// <summary>100 clean hourly bars, the last one closed just now.</summary>
    private static List<Bar> Clean(int count = 100) =>
        Enumerable.Range(0, count).Select(i => new Bar(Start.AddHours(i), 100 + (i % 3), 102 + (i % 3), 99 + (i % 3), 101 + (i % 3), 10 + (i % 5))).ToList();

    private static DateTimeOffset NowAfter(List<Bar> bars) => bars.Max(b => b.Time) + TimeSpan.FromHours(1.5);

    private static QualityReport Assess(List<Bar> bars) => QualityAssessor.Assess(bars, Hour, NowAfter(bars), Options);

    [Fact]
    public void Assess_CleanSeries_ScoresOneEverywhere()
    {
        var report = Assess(Clean());
        report.Score.ShouldBe(1.0);
        report.Level.ShouldBe("good");
        report.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void Assess_Gaps_LowerCompletenessAndNameTheGap()
    {
        var bars = Clean();
        bars.RemoveRange(40, 10);
        var report = Assess(bars);
        report.Completeness.ShouldBe(0.9);
        report.Findings.ShouldContain(f => f.Rule == "gap" && f.Detail.StartsWith("10 bar(s) missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_WeekendWithoutTrading_IsNotAGapForASession()
    {
        // Daily bars Monday–Friday of two weeks, for a market open Monday to Friday.
        var monday = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var bars = Enumerable.Range(0, 12).Select(d => monday.AddDays(d)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(t => new Bar(t, 10, 11, 9, 10, 1)).ToList();
        var session = TradingSession.TryParse("0930-1600", "UTC");
        var report = QualityAssessor.Assess(bars, Parse("1D"), bars[^1].Time.AddDays(1.5), Options, session);
        report.Completeness.ShouldBe(1.0);
        QualityAssessor.Assess(bars, Parse("1D"), bars[^1].Time.AddDays(1.5), Options).Completeness.ShouldBeLessThan(1.0, "without the session, weekends look like gaps");
    }

    [Fact]
    public void Assess_OhlcViolations_LowerAccuracy()
    {
        var bars = Clean();
        bars[10] = bars[10] with { High = bars[10].Low - 1 };
        bars[20] = bars[20] with { Low = bars[20].Open + 5 };
        bars[30] = bars[30] with { Close = -1 };
        bars[40] = bars[40] with { Volume = -3 };
        var report = Assess(bars);
        report.Accuracy.ShouldBe(0.96);
        report.Findings.Count(f => f.Rule == "ohlc_violation").ShouldBe(4);
    }

    [Fact]
    public void Assess_PriceJumpAndVolumeSpike_LowerConsistency()
    {
        var bars = Clean();
        bars[50] = bars[50] with { Open = 150, High = 160, Low = 149, Close = 155 };
        bars[70] = bars[70] with { Volume = 10_000 };
        var report = Assess(bars);
        report.Findings.Count(f => f.Rule == "price_jump").ShouldBe(2, "into and out of the spike");
        report.Findings.Count(f => f.Rule == "volume_spike").ShouldBe(1);
        report.Consistency.ShouldBe(Math.Round(1 - (3 / 99.0), 4));
    }

    [Fact]
    public void Assess_StaleData_LowersTimeliness()
    {
        var bars = Clean();
        var report = QualityAssessor.Assess(bars, Hour, bars[^1].Time.AddHours(6), Options);
        report.Timeliness.ShouldBe(Math.Round(1 - (4 / 9.0), 4));
        report.Findings.ShouldContain(f => f.Rule == "stale");
        QualityAssessor.Assess(bars, Hour, bars[^1].Time.AddHours(30), Options).Timeliness.ShouldBe(0);
    }

    [Fact]
    public void Assess_NonFiniteAndFutureValues_LowerValidity()
    {
        var bars = Clean();
        bars[5] = bars[5] with { Close = double.NaN };
        bars[6] = bars[6] with { High = double.PositiveInfinity };
        bars.Add(new Bar(NowAfter(Clean()).AddDays(2), 1, 1, 1, 1, 1));
        var report = QualityAssessor.Assess(bars, Hour, NowAfter(Clean()), Options);
        report.Validity.ShouldBe(Math.Round(1 - (3 / 101.0), 4));
    }

    [Fact]
    public void Assess_DuplicateTimestamps_LowerUniqueness()
    {
        var bars = Clean();
        bars.Add(bars[10]);
        bars.Add(bars[11] with { Close = 101.5 });
        var report = Assess(bars);
        report.Uniqueness.ShouldBe(Math.Round(1 - (2 / 102.0), 4));
        report.Findings.Count(f => f.Rule == "duplicate_timestamp").ShouldBe(2);
    }

    [Fact]
    public void Assess_Empty_IsCritical() => QualityAssessor.Assess([], Hour, Start, Options).Level.ShouldBe("critical");

    [Fact]
    public void Assess_WeightsComposeTheScore()
    {
        var bars = Clean();
        for (var i = 0; i < 50; i++)
        {
            bars[i] = bars[i] with { High = bars[i].Low - 1 };
        }

        var report = Assess(bars);
        report.Accuracy.ShouldBe(0.5);
        report.Score.ShouldBe(Math.Round(((0.25 * 1) + (0.25 * 0.5) + (0.20 * report.Consistency) + 0.15 + 0.10 + 0.05) / 1.0, 4));
        report.Level.ShouldBe(report.Score < 0.6 ? "critical" : report.Score < 0.8 ? "warning" : "good");
        report.Score.ShouldBeLessThan(0.9);
    }

    [Fact]
    public void Assess_EveryFinding_CarriesASuggestion()
    {
        var bars = Clean();
        bars.RemoveRange(40, 3);
        bars.Add(bars[10]);
        bars[5] = bars[5] with { High = bars[5].Low - 1 };
        var report = Assess(bars);
        report.Findings.Select(f => f.Rule).ShouldContain("gap");
        report.Findings.Select(f => f.Rule).ShouldContain("duplicate_timestamp");
        report.Findings.Select(f => f.Rule).ShouldContain("ohlc_violation");
        report.Findings.ShouldAllBe(f => !string.IsNullOrWhiteSpace(f.Suggestion));
    }

    [Fact]
    public void Correct_InconsistentHighLow_RepairsAndRecordsEachChange()
    {
        var bars = Clean(10);
        bars[2] = bars[2] with { High = 99.5 };
        bars[7] = bars[7] with { Low = 110 };
        var corrections = new List<QualityCorrection>();
        var repaired = QualityAssessor.Correct(bars, corrections);

        QualityAssessor.Assess(repaired, Hour, NowAfter(repaired), Options).Accuracy.ShouldBe(1.0);
        Assess(bars).Accuracy.ShouldBe(0.8, "the unrepaired series still fails");
        corrections.ShouldContain(new QualityCorrection(bars[2].Time, "high", 99.5, bars[2].Close));
        corrections.ShouldContain(c => c.BarTime == bars[7].Time && c.Field == "low" && c.From == 110);
        QualityAssessor.Correct(Clean(10), corrections = []).ShouldBe(Clean(10));
        corrections.ShouldBeEmpty("clean bars need no repair");
    }
}
