using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Alerts;

/// <summary>A time in force as alerts carry it and orders store it (<c>orders.time_in_force</c>): the one mapping to and from <see cref="TimeInForce"/>.</summary>
public static class AlertTimeInForce
{
    public const string Day = "day";
    public const string Gtc = "gtc";
    public const string Ioc = "ioc";
    public const string Fok = "fok";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Day, Gtc, Ioc, Fok };

    public static string ToText(this TimeInForce timeInForce) => timeInForce switch
    {
        TimeInForce.Day => Day,
        TimeInForce.Gtc => Gtc,
        TimeInForce.Ioc => Ioc,
        TimeInForce.Fok => Fok,
        _ => throw new ArgumentOutOfRangeException(nameof(timeInForce), timeInForce, "not a time in force"),
    };

    public static TimeInForce Parse(string text) => text switch
    {
        Day => TimeInForce.Day,
        Gtc => TimeInForce.Gtc,
        Ioc => TimeInForce.Ioc,
        Fok => TimeInForce.Fok,
        _ => throw new FormatException($"\"{text}\" is not a time in force."),
    };
}
