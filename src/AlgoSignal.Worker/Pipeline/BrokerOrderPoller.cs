using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Follows live-broker orders after their alert committed, so no order stays in a non-final state without an
/// owner. Open orders are polled by client order id and their fills become order events, positions and alert
/// states, as the paper broker does at once. Orders left <c>submitting</c> (the worker stopped between the
/// commit and the broker call) or <c>unknown</c> (no answer) are settled at the broker by their client order
/// id and only then placed — the same id, so the broker recognises a repeat. Broker calls happen outside any
/// database transaction; polling backs off with the order's age and spends at most the broker's poll budget
/// (<see cref="BrokerCapabilities.PollsPerMinute"/>), so new orders always find room. While the broker's order stream is
/// healthy (<see cref="BrokerStreamService"/>) its open orders are left to the stream: an order older than the stream's
/// connection is polled once (changes in the gap were not pushed), then only every
/// <see cref="BrokerStreamOptions.SafetyPollSeconds"/>. Both paths apply what they learn through <see cref="BrokerOrderUpdates"/>.
/// </summary>
public sealed partial class BrokerOrderPoller(
    IServiceScopeFactory scopes, BrokerRegistry brokers, BrokerOrderUpdates updates, BrokerStreamHealth streams, IOptions<BrokerStreamOptions> streamOptions,
    TimeProvider time, ILogger<BrokerOrderPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>An order still <c>submitting</c> this long after it was recorded has lost the consumer that owned it.</summary>
    public static readonly TimeSpan OwnerGrace = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, DateTimeOffset> _polledAt = new();
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
                .Where(o => o.Broker != PaperBroker.Broker
                    && (o.Status == OrderStatuses.Accepted || o.Status == OrderStatuses.PartiallyFilled || o.Status == OrderStatuses.Unknown || o.Status == OrderStatuses.Submitting))
                .OrderBy(o => o.Id).Take(500)
                .Select(o => new OpenOrder(o.Id, o.Broker, o.Status, o.CreatedAt, o.UpdatedAt))
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        foreach (var gone in _polledAt.Keys.Except(open.Select(o => o.Id)).ToList())
        {
            _polledAt.TryRemove(gone, out _);
        }

        // Never-checked orders first, then the longest-waiting: a spent budget delays the old resting orders, not a new one.
        var due = open.Select(o => (Order: o, Next: NextCheck(o)))
            .Where(x => now >= x.Next && (x.Order.Status != OrderStatuses.Submitting || now - x.Order.UpdatedAt >= OwnerGrace))
            .OrderBy(x => x.Next).ThenBy(x => x.Order.Id).Select(x => x.Order);
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

            _polledAt[order.Id] = now;
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

    /// <summary>
    /// When to ask about an order next. Followed by a healthy stream: a safety poll after the last poll or creation
    /// since the stream connected, or at once when neither happened since (its changes in the gap were not pushed).
    /// Otherwise the age-based <see cref="Backoff"/> after the last poll, so polling takes over at once when a stream drops.
    /// </summary>
    private DateTimeOffset NextCheck(OpenOrder order)
    {
        DateTimeOffset? polled = _polledAt.TryGetValue(order.Id, out var at) ? at : null;
        if (!OrderStatuses.NeedsSettling(order.Status) && streams.IsHealthy(order.Broker, out var since))
        {
            DateTimeOffset? covered = polled is { } p && p >= since ? p : order.CreatedAt >= since ? order.CreatedAt : null;
            return covered is { } from ? from + TimeSpan.FromSeconds(streamOptions.Value.SafetyPollSeconds) : DateTimeOffset.MinValue;
        }

        return polled is { } last ? last + Backoff(last - order.CreatedAt) : DateTimeOffset.MinValue;
    }

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
                BrokerOrderUpdates.Mark(order, OrderStatuses.Accepted, result.Message ?? "placed after the worker that owned it stopped", now);
                break;
            case PlaceOutcome.Rejected:
                BrokerOrderUpdates.Mark(order, OrderStatuses.Rejected, $"{order.Broker} rejected it ({result.Code}): {result.Message}", now);
                break;
            default:
                // Still no answer: it stays unknown (never failed while it might be live) and is asked about again later.
                BrokerOrderUpdates.Mark(order, OrderStatuses.Unknown, result.Message, now);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        await updates.SettleAlertAsync(db, order.AlertId, now, cancellationToken);
    }

    /// <summary>An open order: its status asked of the broker, then applied by the rule the stream uses too.</summary>
    private async Task FollowAsync(OpenOrder snapshot, IBrokerAdapter adapter, CancellationToken cancellationToken)
    {
        OrderEntity? current;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            current = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == snapshot.Id, cancellationToken);
        }

        if (current is null)
        {
            return;
        }

        var status = await adapter.GetOrderAsync(BrokerSubmitter.ToBrokerOrder(current, null), cancellationToken);
        if (status is not null)
        {
            await updates.ApplyAsync(snapshot.Id, status, BrokerOrderUpdates.PollSource, status.UpdatedAt, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling broker orders failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} at {Broker}: the check failed ({Error}); asked again later")]
    private static partial void LogOrderCheckFailed(ILogger logger, long orderId, string broker, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {ClientOrderId} at {Broker} was left {Status}: settling it by its client order id")]
    private static partial void LogSettling(ILogger logger, string clientOrderId, string broker, string status);

    private sealed record OpenOrder(long Id, string Broker, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
