using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Follows live-broker orders after their alert committed, so no order stays in a non-final state without an
/// owner. Open orders are polled by client order id and their fills become order events, positions and alert
/// states, as the paper broker does at once. Orders left <c>submitting</c> (the worker stopped between the
/// commit and the broker call) or <c>unknown</c> (no answer) are settled at the broker by their client order
/// id and only then placed — the same id, so the broker recognises a repeat. Broker calls happen outside any
/// database transaction; polling backs off with the order's age and spends at most the broker's poll budget
/// (<see cref="BrokerCapabilities.PollsPerMinute"/>), so new orders always find room.
/// </summary>
public sealed partial class BrokerOrderPoller(IServiceScopeFactory scopes, BrokerRegistry brokers, IBus bus, TimeProvider time, AlgoSignal.ServiceDefaults.Telemetry.AlgoSignalMetrics metrics, ILogger<BrokerOrderPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>An order still <c>submitting</c> this long after it was recorded has lost the consumer that owned it.</summary>
    public static readonly TimeSpan OwnerGrace = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, DateTimeOffset> _nextCheck = new();
    private readonly ConcurrentDictionary<string, RateLimiter> _budgets = new(StringComparer.Ordinal);

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

    /// <summary>How long to wait before asking about an order again: often while it is young, rarely once it rests.</summary>
    public static TimeSpan Backoff(TimeSpan age) =>
        age < TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(1)
        : age < TimeSpan.FromMinutes(10) ? TimeSpan.FromSeconds(5)
        : age < TimeSpan.FromHours(1) ? TimeSpan.FromSeconds(30)
        : TimeSpan.FromMinutes(2);

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        List<OpenOrder> open;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            open = await db.Orders.AsNoTracking()
                .Where(o => o.Broker != PaperExecution.Broker
                    && (o.Status == OrderStatuses.Accepted || o.Status == OrderStatuses.PartiallyFilled || o.Status == OrderStatuses.Unknown || o.Status == OrderStatuses.Submitting))
                .OrderBy(o => o.Id).Take(500)
                .Select(o => new OpenOrder(o.Id, o.Broker, o.Status, o.CreatedAt, o.UpdatedAt))
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        foreach (var gone in _nextCheck.Keys.Except(open.Select(o => o.Id)).ToList())
        {
            _nextCheck.TryRemove(gone, out _);
        }

        // Never-checked orders first, then the longest-waiting: a spent budget delays the old resting orders, not a new one.
        var due = open.Where(o => IsDue(o, now)).OrderBy(o => _nextCheck.TryGetValue(o.Id, out var next) ? next : DateTimeOffset.MinValue).ThenBy(o => o.Id);
        foreach (var order in due)
        {
            if (brokers.Find(order.Broker) is not { } adapter)
            {
                continue;
            }

            using var lease = Budget(adapter).AttemptAcquire();
            if (!lease.IsAcquired)
            {
                // This broker's poll budget is spent for now; the rest of its request budget stays for new orders.
                continue;
            }

            _nextCheck[order.Id] = now + Backoff(now - order.CreatedAt);
            try
            {
                await (OrderStatuses.NeedsSettling(order.Status)
                    ? SettleAsync(order, adapter, cancellationToken)
                    : FollowAsync(order, adapter, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogOrderCheckFailed(logger, order.Id, order.Broker, ex.Message);
            }
        }
    }

    private bool IsDue(OpenOrder order, DateTimeOffset now) =>
        (order.Status != OrderStatuses.Submitting || now - order.UpdatedAt >= OwnerGrace)
        && (!_nextCheck.TryGetValue(order.Id, out var next) || now >= next);

    private RateLimiter Budget(IBrokerAdapter adapter) =>
        _budgets.GetOrAdd(adapter.Name, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, adapter.Capabilities.PollsPerMinute / 4),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, adapter.Capabilities.PollsPerMinute),
            QueueLimit = 0,
        }));

    /// <summary>An order nobody owns any more: found at the broker by its client order id, or placed now under that id.</summary>
    private async Task SettleAsync(OpenOrder snapshot, IBrokerAdapter adapter, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var now = time.GetUtcNow();

        // Claimed by moving its time on: of several workers, only the one whose update matched settles it.
        var claimed = await db.Orders
            .Where(o => o.Id == snapshot.Id && o.Status == snapshot.Status && o.UpdatedAt == snapshot.UpdatedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var order = await db.Orders.Include(o => o.Events).FirstAsync(o => o.Id == snapshot.Id, cancellationToken);
        var request = BrokerSubmitter.ToBrokerOrder(order, order.Events.FirstOrDefault(e => e.Type == OrderStatuses.Submitting)?.Price);
        LogSettling(logger, order.ClientOrderId, order.Broker, order.Status);
        var found = await adapter.GetOrderAsync(request, cancellationToken);
        var result = found is not null
            ? PlaceResult.Accepted(found.BrokerOrderId, "found at the broker by its client order id")
            : await adapter.PlaceAsync(request, cancellationToken);

        now = time.GetUtcNow();
        switch (result.Outcome)
        {
            case PlaceOutcome.Accepted:
                order.BrokerOrderId ??= result.BrokerOrderId;
                Mark(order, OrderStatuses.Accepted, result.Message ?? "placed after the worker that owned it stopped", now);
                break;
            case PlaceOutcome.Rejected:
                Mark(order, OrderStatuses.Rejected, $"{order.Broker} rejected it ({result.Code}): {result.Message}", now);
                break;
            default:
                // Still no answer: it stays unknown (never failed while it might be live) and is asked about again later.
                Mark(order, OrderStatuses.Unknown, result.Message, now);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        await SettleAlertAsync(db, order.AlertId, now, cancellationToken);
    }

    /// <summary>An open order: its status asked of the broker first, then applied under the row's lock.</summary>
    private async Task FollowAsync(OpenOrder snapshot, IBrokerAdapter adapter, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var current = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == snapshot.Id, cancellationToken);
        if (current is null)
        {
            return;
        }

        var status = await adapter.GetOrderAsync(BrokerSubmitter.ToBrokerOrder(current, null), cancellationToken);
        if (status is null)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE id = {snapshot.Id} FOR UPDATE SKIP LOCKED").Include(o => o.Events).FirstOrDefaultAsync(cancellationToken);
        if (order is null || order.Status != current.Status || order.FilledQuantity != current.FilledQuantity)
        {
            // Another worker moved it meanwhile; the next round reads it afresh.
            return;
        }

        var now = time.GetUtcNow();
        OrderFilled? filled = null;
        order.BrokerOrderId ??= status.BrokerOrderId;
        var delta = status.FilledQuantity - order.FilledQuantity;
        if (delta > 0m && status.AveragePrice is { } average)
        {
            // The fill since the last poll, at the price that makes the new average right.
            var deltaPrice = ((average * status.FilledQuantity) - ((order.AveragePrice ?? 0m) * order.FilledQuantity)) / delta;
            await ApplyFillAsync(db, order, delta, deltaPrice, now, cancellationToken);
            order.FilledQuantity = status.FilledQuantity;
            order.AveragePrice = average;
            order.Events.Add(new OrderEventEntity { Type = status.Status == OrderStatuses.Filled ? OrderStatuses.Filled : OrderStatuses.PartiallyFilled, Quantity = delta, Price = deltaPrice, CreatedAt = now });
        }

        if (status.Status != order.Status)
        {
            Mark(order, status.Status, status.Message, now);
            if (status.Status == OrderStatuses.Filled)
            {
                filled = new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m);
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

    private async Task SettleAlertAsync(AlgoSignalDbContext db, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
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

    private static void Mark(OrderEntity order, string status, string? message, DateTimeOffset now)
    {
        order.Status = status;
        order.UpdatedAt = now;
        if (status is OrderStatuses.Failed or OrderStatuses.Rejected or OrderStatuses.Unknown)
        {
            order.Reason = message;
        }

        order.Events.Add(new OrderEventEntity { Type = status, Message = message, CreatedAt = now });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling broker orders failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} at {Broker}: the check failed ({Error}); asked again later")]
    private static partial void LogOrderCheckFailed(ILogger logger, long orderId, string broker, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {ClientOrderId} at {Broker} was left {Status}: settling it by its client order id")]
    private static partial void LogSettling(ILogger logger, string clientOrderId, string broker, string status);

    private sealed record OpenOrder(long Id, string Broker, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
