using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// The Domain's bracket rule (<see cref="Brackets"/>) on the paper broker's rows: a filled entry's children are
/// added to the change tracker, and the orders the rule voids are cancelled with its reason.
/// </summary>
public static class PaperBrackets
{
    /// <summary>What an order's fill means for the brackets around it; <paramref name="book"/> holds its account and symbol.</summary>
    public static async Task AfterFillAsync(AlgoSignalDbContext db, TradingBook book, OrderEntity order, bool flat, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filled = MemberOf(order);
        foreach (var (role, child) in Brackets.ChildrenOf(filled, PlanOf(order), order.FilledQuantity))
        {
            await db.Orders.AddAsync(Child(order, role, child, now), cancellationToken);
        }

        // Resting before this alert (the book) or added by it (the change tracker), in the order's account and symbol.
        var added = db.ChangeTracker.Entries<OrderEntity>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(o => o.Broker == order.Broker && o.Account == order.Account && o.Symbol == order.Symbol);
        foreach (var resting in book.Resting.Concat(added).Distinct().Where(o => o != order && o.Status == OrderStatuses.Accepted).ToList())
        {
            if (Brackets.CancelReason(filled, flat, MemberOf(resting)) is { } reason)
            {
                Cancel(resting, reason, now);
            }
        }
    }

    public static void Cancel(OrderEntity order, string reason, DateTimeOffset now)
    {
        order.Status = OrderStatuses.Cancelled;
        order.Reason = reason;
        order.UpdatedAt = now;
        order.Events.Add(new OrderEventEntity { Type = OrderEventTypes.Cancelled, Message = reason, CreatedAt = now });
    }

    private static BracketMember MemberOf(OrderEntity order) => new(order.AlertId, order.Leg, order.Role);

    private static OrderToPlace PlanOf(OrderEntity order) => new(
        order.Side, order.Intent, order.Quantity, order.OrderType, order.LimitPrice, order.StopPrice, order.TimeInForce, order.TakeProfit, order.StopLoss);

    private static OrderEntity Child(OrderEntity parent, string role, OrderToPlace order, DateTimeOffset now)
    {
        var child = NewOrders.Row(OrderOrigin.Of(parent), ClientOrderId.Child(parent.ClientOrderId, role), role, order, OrderStatuses.Accepted, now);
        child.BrokerOrderId = PaperBroker.OrderIdOf(child);
        var price = order.LimitPrice ?? order.StopPrice;
        child.Events.Add(new OrderEventEntity { Type = OrderEventTypes.Accepted, Quantity = child.Quantity, Price = price, Message = $"{role} of {parent.ClientOrderId}", CreatedAt = now });
        return child;
    }
}
