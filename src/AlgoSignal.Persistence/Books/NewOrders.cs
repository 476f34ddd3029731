using AlgoSignal.Domain.Decisions;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Persistence.Books;

/// <summary>The row a decided order is stored as, whether a leg of an alert placed it or a filled entry's bracket did.</summary>
public static class NewOrders
{
    public static OrderEntity Row(OrderOrigin origin, string clientOrderId, string role, OrderToPlace order, string status, DateTimeOffset now) => new()
    {
        AlertId = origin.AlertId,
        Leg = origin.Leg,
        Broker = origin.Broker,
        Account = origin.Account,
        ClientOrderId = clientOrderId,
        Symbol = origin.Symbol,
        Side = order.Side,
        Intent = order.Intent,
        Quantity = order.Quantity,
        OrderType = order.OrderType,
        LimitPrice = order.LimitPrice,
        StopPrice = order.StopPrice,
        TimeInForce = order.TimeInForce,
        Status = status,
        Role = role,
        Strategy = origin.Strategy,
        TakeProfit = order.TakeProfit,
        StopLoss = order.StopLoss,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

/// <summary>Whose an order is: the alert and leg that decided it, where it trades, and the strategy it trades for.</summary>
public sealed record OrderOrigin(Guid AlertId, int Leg, string Broker, string Account, string Symbol, string? Strategy)
{
    public static OrderOrigin Of(OrderEntity order) => new(order.AlertId, order.Leg, order.Broker, order.Account, order.Symbol, order.Strategy);
}
