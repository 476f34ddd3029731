using AlgoSignal.Domain.MarketData;
using Shouldly;

namespace AlgoSignal.Domain.Tests.MarketData;

public sealed class BarResamplerTests
{
    private static readonly Timeframe Minute = Parse("1m");
    private static readonly Timeframe Five = Parse("5m");
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 10, 2, 30, TimeSpan.Zero);

    private static Timeframe Parse(string value) => Timeframe.TryParse(value, out var t) ? t : throw new ArgumentException(value);

    /// <summary>One-minute bars up to the one forming at <see cref="Now"/>.</summary>
    private static List<Bar> Minutes(int count) =>
        Enumerable.Range(0, count).Select(i => Now.AddSeconds(-30).AddMinutes(-(count - 1 - i)))
            .Select((t, i) => new Bar(t, 100 + i, 101 + i + (i % 3), 99 + i, 100.5 + i, 10, IsForming: t.AddMinutes(1) > Now)).ToList();

    [Fact]
    public void Build_CompleteMinutes_AggregatesEachBucket()
    {
        var minutes = Minutes(23);
        var built = BarResampler.Build(minutes, Minute, Five, 4, Now).ShouldNotBeNull();

        built.Count.ShouldBe(4);
        built.Select(b => b.Time.Minute).ShouldBe([45, 50, 55, 0]);
        var bucket = minutes.Where(m => m.Time >= built[1].Time && m.Time < built[1].Time.AddMinutes(5)).ToList();
        built[1].Open.ShouldBe(bucket[0].Open);
        built[1].Close.ShouldBe(bucket[^1].Close);
        built[1].High.ShouldBe(bucket.Max(m => m.High));
        built[1].Low.ShouldBe(bucket.Min(m => m.Low));
        built[1].Volume.ShouldBe(50);
        built[^1].IsForming.ShouldBeTrue("the running five minutes have three bars so far");
        built[^1].Volume.ShouldBe(30);
    }

    [Fact]
    public void Build_AHoleInTheRange_BuildsNothing()
    {
        var minutes = Minutes(23);
        minutes.RemoveAt(10);
        BarResampler.Build(minutes, Minute, Five, 4, Now).ShouldBeNull();
        BarResampler.Build(minutes, Minute, Five, 2, Now).ShouldNotBeNull("the buckets after the hole are complete");
    }

    [Fact]
    public void Build_NotEnoughOrNotCurrent_BuildsNothing()
    {
        BarResampler.Build(Minutes(23), Minute, Five, 6, Now).ShouldBeNull("23 minutes hold four buckets");
        BarResampler.Build(Minutes(23), Minute, Five, 4, Now.AddMinutes(10)).ShouldBeNull("the series stops before now");
        BarResampler.CanBuild(Parse("1D"), Parse("1h")).ShouldBeFalse("days follow sessions, not the clock");
        BarResampler.CanBuild(Parse("45"), Parse("30")).ShouldBeFalse();
    }
}
