namespace AlgoSignal.Persistence.Entities;

/// <summary>The last reconciliation of one broker: when, how it ended (<c>ok</c>, <c>drift</c> or the error), how many drifts were open.</summary>
public sealed class ReconciliationRunEntity
{
    public required string Broker { get; set; }
    public DateTimeOffset RanAt { get; set; }
    public required string Outcome { get; set; }
    public int Drifts { get; set; }
}
