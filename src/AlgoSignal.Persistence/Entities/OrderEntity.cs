namespace AlgoSignal.Persistence.Entities;

public sealed class OrderEntity
{
    public long Id { get; set; }
    public Guid AlertId { get; set; }
    public int Leg { get; set; }
    public required string Broker { get; set; }
    public required string Account { get; set; }
    public required string ClientOrderId { get; set; }
    public string? BrokerOrderId { get; set; }
    public required string Symbol { get; set; }
    public required string Side { get; set; }
    public required string Intent { get; set; }
    public decimal Quantity { get; set; }
    public required string OrderType { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal? StopPrice { get; set; }
    public required string TimeInForce { get; set; }
    public required string Status { get; set; }
    public decimal FilledQuantity { get; set; }
    public decimal? AveragePrice { get; set; }
    public decimal Fees { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<OrderEventEntity> Events { get; set; } = [];
}
