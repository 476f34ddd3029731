namespace AlgoSignal.Ingress.Api;

/// <summary><c>GET /api/v1/reconciliation</c>: the last comparison per live broker and the drifts found (open first).</summary>
public sealed record ReconciliationView(IReadOnlyList<ReconciliationRunView> Runs, IReadOnlyList<ReconciliationDriftView> Drifts);
