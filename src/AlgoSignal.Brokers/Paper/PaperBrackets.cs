using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// The paper broker's brackets (README: paper broker): an entry with a take-profit or stop-loss gets exit children
/// when it fills, one child filling cancels the other, and a position that closes leaves none of its protective
/// children resting to open a new one.
/// </summary>
public static class PaperBrackets
{
    public const string TakeProfit = "take_profit";
    public const string StopLoss = "stop_loss";

    /// <summary>What an order's fill means for the brackets around it; <paramref name="book"/> holds its account and symbol.</summary>
    public static async Task AfterFillAsync(AlgoSignalDbContext db, TradingBook book, OrderEntity order, bool flat, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order.Role != OrderRoles.Main)
        {
            // One bracket child filled: its sibling is void.
            CancelSiblings(book, order, now);
        }
        else if (order.Intent == OrderIntents.Entry && (order.TakeProfit is not null || order.StopLoss is not null))
        {
            await AddChildrenAsync(db, order, now, cancellationToken);
        }

        if (flat)
        {
            CancelOrphans(db, book, order, now);
        }
    }

    public static void Cancel(OrderEntity order, string reason, DateTimeOffset now)
    {
        order.Status = OrderStatuses.Cancelled;
        order.Reason = reason;
        order.UpdatedAt = now;
        order.Events.Add(new OrderEventEntity { Type = OrderEventTypes.Cancelled, Message = reason, CreatedAt = now });
    }

    private static async Task AddChildrenAsync(AlgoSignalDbContext db, OrderEntity parent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var exitSide = OrderSides.Parse(parent.Side).Opposite().ToText();
        if (parent.TakeProfit is { } takeProfit)
        {
            await db.Orders.AddAsync(Child(parent, TakeProfit, exitSide, AlertOrderTypes.Limit, takeProfit, null, now), cancellationToken);
        }

        if (parent.StopLoss is { } stopLoss)
        {
            await db.Orders.AddAsync(Child(parent, StopLoss, exitSide, AlertOrderTypes.Stop, null, stopLoss, now), cancellationToken);
        }
    }

    private static OrderEntity Child(OrderEntity parent, string role, string side, string type, decimal? limit, decimal? stop, DateTimeOffset now)
    {
        var child = new OrderEntity
        {
            AlertId = parent.AlertId,
            Leg = parent.Leg,
            Broker = parent.Broker,
            Account = parent.Account,
            ClientOrderId = ClientOrderId.Child(parent.ClientOrderId, role),
            Symbol = parent.Symbol,
            Side = side,
            Intent = OrderIntents.Exit,
            Quantity = parent.FilledQuantity,
            OrderType = type,
            LimitPrice = limit,
            StopPrice = stop,
            TimeInForce = AlertTimeInForce.Gtc,
            Status = OrderStatuses.Accepted,
            Strategy = parent.Strategy,
            Role = role,
            CreatedAt = now,
            UpdatedAt = now,
        };
        child.BrokerOrderId = "paper-" + child.ClientOrderId;
        child.Events.Add(new OrderEventEntity { Type = OrderEventTypes.Accepted, Quantity = child.Quantity, Price = limit ?? stop, Message = $"{role} of {parent.ClientOrderId}", CreatedAt = now });
        return child;
    }

    private static void CancelSiblings(TradingBook book, OrderEntity child, DateTimeOffset now)
    {
        // Bracket children rest in their parent's account and symbol: the book holds them all.
        var siblings = book.Resting
            .Where(o => o != child && o.AlertId == child.AlertId && o.Leg == child.Leg && o.Role != OrderRoles.Main && o.Status == OrderStatuses.Accepted).ToList();
        foreach (var sibling in siblings)
        {
            Cancel(sibling, $"{child.Role} filled (one cancels the other)", now);
        }
    }

    /// <summary>
    /// Flat: protective children of the closed position must not open a new one, whether they rested before this
    /// alert (the book) or were added by it (the change tracker).
    /// </summary>
    private static void CancelOrphans(AlgoSignalDbContext db, TradingBook book, OrderEntity order, DateTimeOffset now)
    {
        var added = db.ChangeTracker.Entries<OrderEntity>().Where(e => e.State == EntityState.Added).Select(e => e.Entity);
        var stillResting = book.Resting.Concat(added)
            .Where(o => o.Role != OrderRoles.Main && o.Broker == order.Broker && o.Account == order.Account && o.Symbol == order.Symbol)
            .Distinct().Where(o => o != order && o.Status == OrderStatuses.Accepted).ToList();
        foreach (var orphan in stillResting)
        {
            Cancel(orphan, "position closed", now);
        }
    }
}
