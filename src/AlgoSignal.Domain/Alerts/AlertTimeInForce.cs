namespace AlgoSignal.Domain.Alerts;

public static class AlertTimeInForce
{
    public const string Day = "day";
    public const string Gtc = "gtc";
    public const string Ioc = "ioc";
    public const string Fok = "fok";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Day, Gtc, Ioc, Fok };
}
