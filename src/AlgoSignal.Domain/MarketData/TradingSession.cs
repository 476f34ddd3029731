namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// When a market trades, so that nights, weekends and closed days are not counted as gaps. Built from
/// TradingView's <c>symbol_resolved</c> (<c>session</c> like <c>0930-1600</c>, <c>timezone</c>); crypto is
/// always open. Holidays are not known here: a closed weekday counts as a gap.
/// </summary>
public sealed record TradingSession(string TimeZone, TimeOnly Open, TimeOnly Close, IReadOnlySet<DayOfWeek> Days)
{
    public static readonly TradingSession AlwaysOpen = new("UTC", TimeOnly.MinValue, TimeOnly.MinValue,
        new HashSet<DayOfWeek>(Enum.GetValues<DayOfWeek>()));

    private static readonly HashSet<DayOfWeek> Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public bool Is24x7 => Open == Close && Days.Count == 7;

    /// <summary>Parses TradingView's session (<c>24x7</c>, <c>0930-1600</c>, <c>0930-1600:23456</c>); null when unknown.</summary>
    public static TradingSession? TryParse(string? session, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(session) || session == "24x7")
        {
            return AlwaysOpen;
        }

        var first = session.Split(',')[0];
        var parts = first.Split(':');
        var range = parts[0].Split('-');
        if (range.Length != 2 || range[0].Length != 4 || range[1].Length != 4
            || !TimeOnly.TryParseExact(range[0], "HHmm", out var open) || !TimeOnly.TryParseExact(range[1], "HHmm", out var close))
        {
            return null;
        }

        var days = Weekdays.ToHashSet();
        if (parts.Length > 1)
        {
            // TradingView numbers days 1 = Sunday … 7 = Saturday.
            days = parts[1].Where(char.IsAsciiDigit).Select(c => (DayOfWeek)((c - '1') % 7)).ToHashSet();
        }

        var zone = timeZone is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _) ? timeZone : "UTC";
        return new TradingSession(zone, open, close, days);
    }

    /// <summary>How many bar intervals starting after <paramref name="from"/> up to <paramref name="to"/> fall in open market.</summary>
    public long OpenIntervalsBetween(DateTimeOffset from, DateTimeOffset to, Timeframe timeframe)
    {
        if (to <= from)
        {
            return 0;
        }

        var length = timeframe.Length;
        var total = (long)((to - from).Ticks / length.Ticks);
        if (Is24x7)
        {
            return total;
        }

        // Walk at most a bounded number of steps; beyond it, extrapolate from the walked share.
        const int maxSteps = 20_000;
        var steps = Math.Min(total, maxSteps);
        long open = 0;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        for (long i = 1; i <= steps; i++)
        {
            if (IsOpen(TimeZoneInfo.ConvertTime(from + (length * i), zone), timeframe))
            {
                open++;
            }
        }

        return steps == total ? open : (long)Math.Round(open * ((double)total / steps));
    }

    private bool IsOpen(DateTimeOffset local, Timeframe timeframe)
    {
        if (!Days.Contains(local.DayOfWeek))
        {
            return false;
        }

        if (timeframe.IsDailyOrLonger || Open == Close)
        {
            return true;
        }

        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return Open < Close ? time >= Open && time < Close : time >= Open || time < Close;
    }
}
