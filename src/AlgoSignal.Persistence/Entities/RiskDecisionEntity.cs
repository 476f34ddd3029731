namespace AlgoSignal.Persistence.Entities;

public sealed class RiskDecisionEntity
{
    public long Id { get; set; }
    public Guid AlertId { get; set; }
    public required string Decision { get; set; }
    public string? Rule { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
