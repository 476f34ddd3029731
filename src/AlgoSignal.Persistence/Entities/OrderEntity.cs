using AlgoSignal.Domain.Orders;
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
    public string? Strategy { get; set; }
    public decimal RealizedPnl { get; set; }

    /// <summary>For a bracket child (take-profit / stop-loss), the order it protects.</summary>
    public long? ParentOrderId { get; set; }

    /// <summary><c>main</c>, <c>take_profit</c> or <c>stop_loss</c>.</summary>
    public string Role { get; set; } = OrderRoles.Main;

    /// <summary>Take-profit price for the bracket child created when this order fills.</summary>
    public decimal? TakeProfit { get; set; }

    /// <summary>Stop-loss price for the bracket child created when this order fills.</summary>
    public decimal? StopLoss { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<OrderEventEntity> Events { get; set; } = [];
}
