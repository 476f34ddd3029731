using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData;

/// <summary>
/// How long a fetched series answers without asking TradingView again: one interval, at least 30 s,
/// at most an hour. After that only the missing tail is fetched and merged.
/// </summary>
public static class Freshness
{
    public static TimeSpan For(Timeframe timeframe) =>
        TimeSpan.FromTicks(Math.Clamp(timeframe.Length.Ticks, TimeSpan.FromSeconds(30).Ticks, TimeSpan.FromHours(1).Ticks));

    public static bool IsFresh(CachedSeries series, Timeframe timeframe, DateTimeOffset now) => now - series.FetchedAt < For(timeframe);

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
