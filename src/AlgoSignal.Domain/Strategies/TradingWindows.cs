using System.Globalization;

namespace AlgoSignal.Domain.Strategies;

/// <summary>Whether a moment falls inside a trading window, in the window's own time zone.</summary>
public static class TradingWindows
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool IsOpen(TradingWindow window, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(window.Timezone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var start = TimeOnly.ParseExact(window.Start, "HH:mm", CultureInfo.InvariantCulture);
        var end = TimeOnly.ParseExact(window.End, "HH:mm", CultureInfo.InvariantCulture);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (start <= end)
        {
            return window.Days.Contains(DayNames[(int)local.DayOfWeek]) && time >= start && time < end;
        }

        // Overnight (e.g. 22:00–02:00): the part after midnight belongs to the day the window opened.
        if (time >= start)
        {
            return window.Days.Contains(DayNames[(int)local.DayOfWeek]);
        }

        return time < end && window.Days.Contains(DayNames[(int)local.AddDays(-1).DayOfWeek]);
    }
}
