namespace AlgoSignal.Persistence.Entities;

public sealed class PaperAccountEntity
{
    public required string Account { get; set; }
    public decimal Cash { get; set; }
    public decimal InitialCash { get; set; }
    public decimal FeesPaid { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
