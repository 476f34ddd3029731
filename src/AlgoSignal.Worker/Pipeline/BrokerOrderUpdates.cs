using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>What applying a broker's report to an order did.</summary>
public enum OrderUpdateOutcome
{
    /// <summary>The order moved on (a fill, a new status).</summary>
    Applied,

    /// <summary>The report holds nothing new (already applied, or older than what is recorded).</summary>
    Unchanged,

    /// <summary>The order is not being followed yet (still <c>submitting</c>, <c>unknown</c> or <c>cancelling</c>): try again shortly.</summary>
    NotYet,

    /// <summary>No such order.</summary>
    Missing,
}

/// <summary>
/// The one rule that turns a broker's report of an order — polled or pushed over a stream — into order events,
/// positions and alert states. Reports carry cumulative quantities and are applied under the order row's lock, so
/// the same fill reported twice (by the stream and a poll, or resent) is applied once, and a report older than what
/// is recorded never moves an order back.
/// </summary>
public sealed class BrokerOrderUpdates(IServiceScopeFactory scopes, IBus bus, TimeProvider time, AlgoSignalMetrics metrics)
{
    public const string StreamSource = "stream";
    public const string PollSource = "poll";

    public async Task<OrderUpdateOutcome> ApplyAsync(long orderId, BrokerOrderStatus status, string source, DateTimeOffset? happenedAt, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").Include(o => o.Events).FirstOrDefaultAsync(cancellationToken);
        if (order is null)
        {
            return OrderUpdateOutcome.Missing;
        }

        if (order.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled))
        {
            return IsFinal(order.Status) ? OrderUpdateOutcome.Unchanged : OrderUpdateOutcome.NotYet;
        }

        var now = time.GetUtcNow();
        var changed = false;
        OrderFilled? filled = null;
        order.BrokerOrderId ??= status.BrokerOrderId;
        var delta = status.FilledQuantity - order.FilledQuantity;
        if (delta > 0m && status.AveragePrice is { } average)
        {
            // The fill since the last report, at the price that makes the new average right.
            var deltaPrice = ((average * status.FilledQuantity) - ((order.AveragePrice ?? 0m) * order.FilledQuantity)) / delta;
            await ApplyFillAsync(db, order, delta, deltaPrice, now, cancellationToken);
            order.FilledQuantity = status.FilledQuantity;
            order.AveragePrice = average;
            order.Events.Add(new OrderEventEntity { Type = status.Status == OrderStatuses.Filled ? OrderStatuses.Filled : OrderStatuses.PartiallyFilled, Quantity = delta, Price = deltaPrice, CreatedAt = now });
            changed = true;
        }

        if (status.Status != order.Status && Rank(status.Status) > Rank(order.Status))
        {
            Mark(order, status.Status, status.Message, now);
            changed = true;
            if (status.Status == OrderStatuses.Filled)
            {
                filled = new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m);
            }
        }

        if (!changed)
        {
            return OrderUpdateOutcome.Unchanged;
        }

        await db.SaveChangesAsync(cancellationToken);
        await SettleAlertAsync(db, order.AlertId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (delta > 0m && happenedAt is { } happened)
        {
            metrics.FillLatency(order.Broker, source, time.GetUtcNow() - happened);
        }

        if (filled is not null)
        {
            await bus.Publish(filled, cancellationToken);
        }

        return OrderUpdateOutcome.Applied;
    }

    /// <summary>Moves an alert whose live orders changed to filled, partially filled or failed.</summary>
    public async Task SettleAlertAsync(AlgoSignalDbContext db, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.FindAsync([alertId], cancellationToken);
        if (alert is null || alert.Status is not (AlertStatuses.Ordered or AlertStatuses.PartiallyFilled))
        {
            return;
        }

        var statuses = await db.Orders.Where(o => o.AlertId == alertId && o.Role == "main").Select(o => o.Status).ToListAsync(cancellationToken);
        var next = statuses.All(s => s == OrderStatuses.Filled) ? AlertStatuses.Filled
            : statuses.Any(s => s is OrderStatuses.Filled or OrderStatuses.PartiallyFilled) ? AlertStatuses.PartiallyFilled
            : statuses.All(s => s is OrderStatuses.Failed or OrderStatuses.Rejected or OrderStatuses.Cancelled) ? AlertStatuses.Failed
            : alert.Status;
        if (next != alert.Status)
        {
            alert.Status = next;
            alert.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            metrics.AlertSettled(alert);
        }
    }

    public static void Mark(OrderEntity order, string status, string? message, DateTimeOffset now)
    {
        order.Status = status;
        order.UpdatedAt = now;
        if (status is OrderStatuses.Failed or OrderStatuses.Rejected or OrderStatuses.Unknown)
        {
            order.Reason = message;
        }

        order.Events.Add(new OrderEventEntity { Type = status, Message = message, CreatedAt = now });
    }

    private static bool IsFinal(string status) => status is OrderStatuses.Filled or OrderStatuses.Cancelled or OrderStatuses.Rejected or OrderStatuses.Failed;

    /// <summary>How far along an order is: a report never moves it back (a poll answered before a streamed fill arrives late).</summary>
    private static int Rank(string status) => status switch
    {
        OrderStatuses.Accepted => 0,
        OrderStatuses.PartiallyFilled => 1,
        _ when IsFinal(status) => 2,
        _ => -1,
    };

    private static async Task ApplyFillAsync(AlgoSignalDbContext db, OrderEntity order, decimal quantity, decimal price, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({order.Broker + "|" + order.Account + "|" + order.Symbol}, 0))", cancellationToken);
        var row = await db.Positions.FirstOrDefaultAsync(p => p.Broker == order.Broker && p.Account == order.Account && p.Symbol == order.Symbol, cancellationToken);
        if (row is null)
        {
            row = new PositionEntity { Broker = order.Broker, Account = order.Account, Symbol = order.Symbol };
            db.Positions.Add(row);
        }

        var before = new PositionState(row.Quantity, row.AveragePrice, row.RealizedPnl);
        var after = before.Apply(order.Side == "buy" ? quantity : -quantity, price);
        order.RealizedPnl += after.RealizedPnl - before.RealizedPnl;
        row.Quantity = after.Quantity;
        row.AveragePrice = after.AveragePrice;
        row.RealizedPnl = after.RealizedPnl;
        row.LastPrice = price;
        row.Entries = after.Quantity == 0m ? 0 : order.Intent == "entry" ? row.Entries + 1 : row.Entries;
        row.UpdatedAt = now;
    }
}
