namespace AlgoSignal.Ingress.Console;

/// <summary>Today (UTC): alerts by status, refusals by stage, fills and realized P&amp;L.</summary>
public sealed record OverviewToday(
    DateTimeOffset Since, int Alerts, IReadOnlyDictionary<string, int> Statuses, IReadOnlyDictionary<string, int> Rejects, int Fills, decimal RealizedPnl);
