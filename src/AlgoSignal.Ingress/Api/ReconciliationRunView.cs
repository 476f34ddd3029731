namespace AlgoSignal.Ingress.Api;

/// <summary>The last reconciliation of one broker: <c>ok</c>, <c>drift</c> or <c>failed: …</c>.</summary>
public sealed record ReconciliationRunView(string Broker, DateTimeOffset RanAt, string Outcome, int Drifts);
