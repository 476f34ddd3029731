namespace AlgoSignal.Ingress.Console;

/// <summary>The answer of <c>GET /api/v1/overview</c> (README, "Console").</summary>
public sealed record OverviewView(
    string Mode,
    IReadOnlyList<string> LiveStrategies,
    OverviewKillSwitch KillSwitch,
    int Backlog,
    DateTimeOffset? LastAlertAt,
    OverviewToday Today,
    OverviewLatency Latency,
    DateTimeOffset GeneratedAt);
