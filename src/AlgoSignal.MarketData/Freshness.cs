using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData;

/// <summary>
/// How long a fetched series answers without asking its provider again: by default one interval, at least
/// 30 s, at most an hour; <c>MarketData:Cache:FreshnessSeconds:&lt;timeframe&gt;</c> sets it per timeframe
/// (keys in any accepted form: <c>1m</c>, <c>60</c>, <c>1h</c>, <c>1D</c>). After that only the missing tail
/// is fetched and merged.
/// </summary>
public static class Freshness
{
    public static TimeSpan For(Timeframe timeframe, IReadOnlyDictionary<string, int>? configured = null)
    {
        foreach (var (key, seconds) in configured ?? new Dictionary<string, int>())
        {
            if (Timeframe.TryParse(key, out var parsed) && parsed.Code == timeframe.Code)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return TimeSpan.FromTicks(Math.Clamp(timeframe.Length.Ticks, TimeSpan.FromSeconds(30).Ticks, TimeSpan.FromHours(1).Ticks));
    }

    public static bool IsFresh(CachedSeries series, Timeframe timeframe, DateTimeOffset now, IReadOnlyDictionary<string, int>? configured = null) =>
        now - series.FetchedAt < For(timeframe, configured);

    /// <summary>How many bars to fetch to bring a cached series up to date: the gap since its newest bar plus an overlap.</summary>
    public static int TailBars(CachedSeries series, Timeframe timeframe, DateTimeOffset now, int requested)
    {
        if (series.Bars.Count == 0)
        {
            return requested;
        }

        var missing = (long)Math.Ceiling((now - series.Bars[^1].Time) / timeframe.Length) + 2;
        return (int)Math.Clamp(missing, 10, requested);
    }
}
