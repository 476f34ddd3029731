using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Telemetry;
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
        var filledNow = false;
        order.BrokerOrderId ??= status.BrokerOrderId;
        if (PositionFills.Since(order, status.FilledQuantity, status.AveragePrice) is { } fill)
        {
            await ApplyFillAsync(db, order, fill, now, cancellationToken);
            order.FilledQuantity = status.FilledQuantity;
            order.AveragePrice = status.AveragePrice;
            order.Events.Add(new OrderEventEntity { Type = status.Status == OrderStatuses.Filled ? OrderEventTypes.Filled : OrderEventTypes.PartiallyFilled, Quantity = fill.Quantity, Price = fill.Price, CreatedAt = now });
            filledNow = true;
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
        if (filledNow && happenedAt is { } happened)
        {
            metrics.FillLatency(order.Broker, source, time.GetUtcNow() - happened);
        }

        if (filled is not null)
        {
            await bus.Publish(filled, cancellationToken);
        }

        return OrderUpdateOutcome.Applied;
    }

    /// <summary>Moves an alert whose live orders changed by the one settlement table (<see cref="AlertSettlements"/>).</summary>
    public Task SettleAlertAsync(AlgoSignalDbContext db, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken) =>
        AlertSettlements.SettleAndCountAsync(db, metrics, alertId, now, cancellationToken);

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

    /// <summary>A live fill moves the position by the one fill rule; the broker's account keeps its fees, so it carries none.</summary>
    private static async Task ApplyFillAsync(AlgoSignalDbContext db, OrderEntity order, Fill fill, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({order.Broker + "|" + order.Account + "|" + order.Symbol}, 0))", cancellationToken);
        var row = await db.Positions.FirstOrDefaultAsync(p => p.Broker == order.Broker && p.Account == order.Account && p.Symbol == order.Symbol, cancellationToken)
            ?? PositionFills.AddRow(db, order);
        order.RealizedPnl += PositionFills.Apply(row, fill, fill.Price, now);
    }
}
