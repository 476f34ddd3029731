namespace AlgoSignal.Persistence.Entities;

/// <summary>A difference between a live broker and AlgoSignal's books, open until it is no longer seen.</summary>
public sealed class ReconciliationDriftEntity
{
    public long Id { get; set; }
    public required string Broker { get; set; }
    public required string Kind { get; set; }
    public required string Symbol { get; set; }
    public decimal? BrokerQuantity { get; set; }
    public decimal? OurQuantity { get; set; }
    public required string Detail { get; set; }
    public DateTimeOffset DetectedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
