using System.Globalization;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// The alert's own <c>time</c> field, as TradingView's <c>{{timenow}}</c> and <c>{{time}}</c> write it
/// (ISO-8601, e.g. <c>2026-12-02T14:30:00Z</c>) or as senders often do (unix seconds or milliseconds).
/// </summary>
public static class AlertTime
{
    // Below this a unix number is seconds, above it milliseconds: 10^11 s is the year 5138, 10^11 ms is 1973.
    private const decimal MillisecondsFrom = 100_000_000_000m;

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var milliseconds = number >= MillisecondsFrom ? number : number * 1000m;
            if (milliseconds > 253_402_300_799_999m)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
