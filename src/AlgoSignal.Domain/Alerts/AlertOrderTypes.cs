namespace AlgoSignal.Domain.Alerts;

public static class AlertOrderTypes
{
    public const string Market = "market";
    public const string Limit = "limit";
    public const string Stop = "stop";
    public const string StopLimit = "stop_limit";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Market, Limit, Stop, StopLimit };
}
