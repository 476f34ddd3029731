namespace AlgoSignal.Domain.MarketData;

/// <summary>A bar interval: the code TradingView's protocol expects and its length.</summary>
public sealed record Timeframe(string Code, TimeSpan Length)
{
    /// <summary>Every form the API accepts (README, "Market data: TradingView bars").</summary>
    public static readonly IReadOnlyList<string> Accepted =
        ["1", "3", "5", "15", "30", "45", "60", "120", "180", "240", "1D", "1W", "1M", "1m", "3m", "5m", "15m", "30m", "45m", "1h", "2h", "3h", "4h", "1d", "1w"];

    /// <summary>True when it is a day, week or month (bars aligned to sessions, not the clock).</summary>
    public bool IsDailyOrLonger => Length >= TimeSpan.FromDays(1);

    /// <summary>
    /// Translates a user's form (<c>1h</c>, <c>15m</c>, <c>1d</c>, <c>60</c>, <c>1D</c>) into the protocol's
    /// code: minutes as a number, then <c>1D</c>, <c>1W</c>, <c>1M</c>. Lower-case <c>1h</c> is invalid on the
    /// wire (docs/architecture.md, "TradingView wire protocol"), so it never reaches it.
    /// </summary>
    public static bool TryParse(string? value, out Timeframe timeframe)
    {
        timeframe = null!;
        var text = value?.Trim() ?? "";
        if (text.Length == 0 || text.Length > 4)
        {
            return false;
        }

        TimeSpan? length = text switch
        {
            "1" or "1m" => TimeSpan.FromMinutes(1),
            "3" or "3m" => TimeSpan.FromMinutes(3),
            "5" or "5m" => TimeSpan.FromMinutes(5),
            "15" or "15m" => TimeSpan.FromMinutes(15),
            "30" or "30m" => TimeSpan.FromMinutes(30),
            "45" or "45m" => TimeSpan.FromMinutes(45),
            "60" or "1h" or "1H" => TimeSpan.FromHours(1),
            "120" or "2h" or "2H" => TimeSpan.FromHours(2),
            "180" or "3h" or "3H" => TimeSpan.FromHours(3),
            "240" or "4h" or "4H" => TimeSpan.FromHours(4),
            "1D" or "D" or "1d" => TimeSpan.FromDays(1),
            "1W" or "W" or "1w" => TimeSpan.FromDays(7),
            "1M" or "M" => TimeSpan.FromDays(30),
            _ => null,
        };
        if (length is not { } span)
        {
            return false;
        }

        var code = span.TotalDays switch
        {
            1 => "1D",
            7 => "1W",
            30 => "1M",
            _ => ((int)span.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        timeframe = new Timeframe(code, span);
        return true;
    }
}
