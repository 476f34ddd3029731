namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// Builds bars of a higher timeframe from a lower one (1m → 5m, 15m, 1h…): open of the first, high and
/// low over all, close of the last, volume summed (null when the source has none). Intraday timeframes
/// only, aligned to the UNIX epoch as exchanges align them. A bucket is built only when every lower bar
/// of it is there — except the newest, still forming, which has the bars so far — so a gap never turns
/// into a plausible-looking but wrong bar.
/// </summary>
public static class BarResampler
{
    /// <summary>True when <paramref name="lower"/> divides <paramref name="higher"/> and both are intraday.</summary>
    public static bool CanBuild(Timeframe higher, Timeframe lower) =>
        !higher.IsDailyOrLonger && lower.Length < higher.Length && higher.Length.Ticks % lower.Length.Ticks == 0;

    /// <returns>The newest <paramref name="count"/> higher bars, oldest first; null when the lower bars do not cover them completely.</returns>
    public static List<Bar>? Build(IReadOnlyList<Bar> lower, Timeframe lowerTimeframe, Timeframe higher, int count, DateTimeOffset now)
    {
        if (!CanBuild(higher, lowerTimeframe) || lower.Count == 0)
        {
            return null;
        }

        var perBucket = (int)(higher.Length.Ticks / lowerTimeframe.Length.Ticks);
        var length = (long)higher.Length.TotalSeconds;
        var buckets = lower.GroupBy(b => DateTimeOffset.FromUnixTimeSeconds(b.Time.ToUnixTimeSeconds() / length * length))
            .OrderBy(g => g.Key).ToList();
        var newestStart = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / length * length);
        var built = new List<Bar>(count);
        foreach (var bucket in buckets)
        {
            var bars = bucket.OrderBy(b => b.Time).ToList();
            var forming = bucket.Key == newestStart;
            if (!forming && bars.Count != perBucket)
            {
                built.Clear(); // a hole: only what follows it can be complete
                continue;
            }

            built.Add(new Bar(
                bucket.Key,
                bars[0].Open,
                bars.Max(b => b.High),
                bars.Min(b => b.Low),
                bars[^1].Close,
                bars.Any(b => b.Volume is null) ? null : bars.Sum(b => b.Volume!.Value),
                forming));
        }

        // Complete and contiguous up to now: the newest bucket must be the running one.
        if (built.Count < count || built[^1].Time != newestStart
            || Enumerable.Range(1, built.Count - 1).Any(i => built[i].Time - built[i - 1].Time != higher.Length))
        {
            return null;
        }

        return built.GetRange(built.Count - count, count);
    }
}
