namespace AlgoSignal.Persistence.Entities;

public sealed class OrderEventEntity
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public required string Type { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? Price { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
