using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Follows live-broker orders after acceptance: polls each open order by its client order id and turns
/// fills into order events, positions and alert states, as the paper broker does at once. Orders whose
/// submission got no answer are settled here too. Rows are claimed with SKIP LOCKED, so several workers
/// poll without doing the same order twice.
/// </summary>
public sealed partial class BrokerOrderPoller(IServiceScopeFactory scopes, BrokerRegistry brokers, IBus bus, TimeProvider time, ILogger<BrokerOrderPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan UnknownGivesUpAfter = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var open = await db.Orders.AsNoTracking()
            .Where(o => o.Broker != PaperExecution.Broker && (o.Status == "accepted" || o.Status == "partially_filled" || o.Status == "unknown"))
            .OrderBy(o => o.Id).Select(o => o.Id).Take(100).ToListAsync(cancellationToken);
        foreach (var id in open)
        {
            await PollOrderAsync(db, id, cancellationToken);
        }
    }

    private async Task PollOrderAsync(AlgoSignalDbContext db, long id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE id = {id} FOR UPDATE SKIP LOCKED").Include(o => o.Events).FirstOrDefaultAsync(cancellationToken);
        if (order is null || brokers.Find(order.Broker) is not { } adapter)
        {
            return;
        }

        var now = time.GetUtcNow();
        var status = await adapter.GetOrderAsync(BrokerSubmitter.ToBrokerOrder(order, null), cancellationToken);
        OrderFilled? filled = null;
        if (status is null)
        {
            if (order.Status == "unknown" && now - order.UpdatedAt > UnknownGivesUpAfter)
            {
                Mark(order, "failed", "the broker never received it (no order under this client order id)", now);
            }
        }
        else
        {
            order.BrokerOrderId ??= status.BrokerOrderId;
            var delta = status.FilledQuantity - order.FilledQuantity;
            if (delta > 0m && status.AveragePrice is { } average)
            {
                // The fill since the last poll, at the price that makes the new average right.
                var deltaPrice = ((average * status.FilledQuantity) - ((order.AveragePrice ?? 0m) * order.FilledQuantity)) / delta;
                await ApplyFillAsync(db, order, delta, deltaPrice, now, cancellationToken);
                order.FilledQuantity = status.FilledQuantity;
                order.AveragePrice = average;
                order.Events.Add(new OrderEventEntity { Type = status.Status == "filled" ? "filled" : "partially_filled", Quantity = delta, Price = deltaPrice, CreatedAt = now });
            }

            if (status.Status != order.Status)
            {
                Mark(order, status.Status, status.Message, now);
                if (status.Status == "filled")
                {
                    filled = new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await SettleAlertAsync(db, order.AlertId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (filled is not null)
        {
            await bus.Publish(filled, cancellationToken);
        }
    }

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

    private static async Task SettleAlertAsync(AlgoSignalDbContext db, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.FindAsync([alertId], cancellationToken);
        if (alert is null || alert.Status is not (AlertStatuses.Ordered or AlertStatuses.PartiallyFilled))
        {
            return;
        }

        var statuses = await db.Orders.Where(o => o.AlertId == alertId && o.Role == "main").Select(o => o.Status).ToListAsync(cancellationToken);
        var next = statuses.All(s => s == "filled") ? AlertStatuses.Filled
            : statuses.Any(s => s is "filled" or "partially_filled") ? AlertStatuses.PartiallyFilled
            : statuses.All(s => s is "failed" or "rejected" or "cancelled") ? AlertStatuses.Failed
            : alert.Status;
        if (next != alert.Status)
        {
            alert.Status = next;
            alert.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static void Mark(OrderEntity order, string status, string? message, DateTimeOffset now)
    {
        order.Status = status;
        order.UpdatedAt = now;
        if (status is "failed" or "rejected")
        {
            order.Reason = message;
        }

        order.Events.Add(new OrderEventEntity { Type = status, Message = message, CreatedAt = now });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling broker orders failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);
}
