namespace AlgoSignal.Ingress.Console;

/// <summary>Time from receipt to decision over the last hour, from the stored timestamps.</summary>
public sealed record OverviewLatency(int WindowMinutes, int Alerts, double? P50Ms, double? P99Ms);
