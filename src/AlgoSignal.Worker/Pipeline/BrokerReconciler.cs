using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// At start and every <see cref="ReconciliationOptions.IntervalSeconds"/>, compares each live broker's positions and
/// working orders with AlgoSignal's books: a position that differs (<see cref="PositionKind"/>), an order working at the
/// broker AlgoSignal has no record of (<see cref="UntrackedOrderKind"/>) and an order AlgoSignal marked unknown that is in
/// fact live (<see cref="UnknownOrderLiveKind"/>). A difference seen twice in a row (once could be a fill or an answer
/// not read yet) is recorded, shown at <c>GET /api/v1/reconciliation</c> and published as
/// <see cref="ReconciliationDriftDetected"/>. Nothing is corrected automatically, except that with
/// <see cref="ReconciliationOptions.AutoCorrect"/> an order marked unknown that is live is adopted again as accepted. A
/// drift no longer seen is marked resolved.
/// </summary>
/// <remarks>Here the comparison itself; noting a difference until it is confirmed, and adopting an order again, are in <c>BrokerReconciler.Drifts.cs</c>.</remarks>
public sealed partial class BrokerReconciler(
    IServiceScopeFactory scopes, BrokerRegistry brokers, IBus bus, TimeProvider time, IOptions<ReconciliationOptions> options, ILogger<BrokerReconciler> logger) : BackgroundService
{
    public const string PositionKind = "position";

    /// <summary>An order working at the broker that AlgoSignal has no record of (placed elsewhere, or lost).</summary>
    public const string UntrackedOrderKind = "untracked_order";

    /// <summary>An order AlgoSignal marked <c>unknown</c> (no answer) that is live at the broker.</summary>
    public const string UnknownOrderLiveKind = "unknown_order_live";

    /// <summary>
    /// How long after its last change an order still in flight (being sent, working, partly filled, unanswered,
    /// being cancelled) may explain a position difference in its symbol: the broker's fill can be seen here
    /// before the stream or the poller has applied it. Such a difference is not counted towards a drift.
    /// </summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(30);

    private static readonly string[] InFlight = [OrderStatuses.Submitting, OrderStatuses.Accepted, OrderStatuses.PartiallyFilled, OrderStatuses.Unknown, OrderStatuses.Cancelling];

    private readonly Dictionary<(string Broker, string Kind, string Symbol), decimal> _suspects = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || brokers.All.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        do
        {
            foreach (var adapter in brokers.All)
            {
                try
                {
                    await ReconcileAsync(adapter, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, adapter.Name, ex.Message);
                    await RecordRunAsync(adapter.Name, $"failed: {ex.Message}", 0, stoppingToken);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ReconcileAsync(IBrokerAdapter adapter, CancellationToken cancellationToken)
    {
        var theirs = (await adapter.GetPositionsAsync(cancellationToken))
            .GroupBy(p => p.Symbol, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key.ToUpperInvariant(), g => g.Sum(p => p.Quantity));
        var working = await adapter.GetOpenOrdersAsync(cancellationToken);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var rows = await db.Positions.AsNoTracking().Where(p => p.Broker == adapter.Name && p.Quantity != 0m).ToListAsync(cancellationToken);

        // AlgoSignal keeps positions per route account and TradingView symbol; the broker per its own symbol.
        var ours = rows.GroupBy(p => adapter.BrokerSymbol(p.Symbol).ToUpperInvariant()).ToDictionary(g => g.Key, g => g.Sum(p => p.Quantity));
        var run = new Run(adapter.Name, time.GetUtcNow());
        var since = run.Now - InFlightGrace;
        var moving = (await db.Orders.AsNoTracking()
                .Where(o => o.Broker == adapter.Name && InFlight.Contains(o.Status) && o.UpdatedAt >= since)
                .Select(o => o.Symbol).Distinct().ToListAsync(cancellationToken))
            .Select(s => adapter.BrokerSymbol(s).ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var symbol in theirs.Keys.Union(ours.Keys).ToHashSet(StringComparer.Ordinal))
        {
            var broker = theirs.GetValueOrDefault(symbol);
            var ourQuantity = ours.GetValueOrDefault(symbol);
            if (broker != ourQuantity && moving.Contains(symbol))
            {
                // A fill on its way: neither a first sighting nor a confirmation, and an open drift stays open.
                run.Observed.Add((PositionKind, symbol));
                continue;
            }

            var detail = ourQuantity == 0m
                ? $"{adapter.Name} holds {broker} {symbol} that AlgoSignal does not know"
                : broker == 0m
                    ? $"AlgoSignal holds {ourQuantity} {symbol} that {adapter.Name} does not report"
                    : $"{adapter.Name} reports {broker} {symbol}, AlgoSignal holds {ourQuantity}";
            await ObserveAsync(db, run, PositionKind, symbol, broker, ourQuantity, broker != ourQuantity, detail, cancellationToken);
        }

        var untracked = new List<BrokerOpenOrder>();
        var unknownLive = new List<(BrokerOpenOrder Order, long OrderId, string ClientOrderId)>();
        foreach (var order in working.Take(500))
        {
            var known = await FindAsync(db, adapter.Name, order, cancellationToken);
            if (known is null)
            {
                untracked.Add(order);
            }
            else if (known.Value.Status == OrderStatuses.Unknown)
            {
                unknownLive.Add((order, known.Value.Id, known.Value.ClientOrderId));
            }
        }

        foreach (var group in untracked.GroupBy(o => o.Symbol.ToUpperInvariant()))
        {
            var open = group.Sum(o => o.Side == OrderSides.Sell ? -o.OpenQuantity : o.OpenQuantity);
            var detail = $"{adapter.Name} has {group.Count()} working order(s) on {group.Key} that AlgoSignal does not know: {Ids(group.Select(o => o.BrokerOrderId))}";
            await ObserveAsync(db, run, UntrackedOrderKind, group.Key, open, 0m, true, detail, cancellationToken);
        }

        foreach (var group in unknownLive.GroupBy(o => o.Order.Symbol.ToUpperInvariant()))
        {
            var open = group.Sum(o => o.Order.Side == OrderSides.Sell ? -o.Order.OpenQuantity : o.Order.OpenQuantity);
            var correct = options.Value.AutoCorrect;
            var detail = $"order(s) {Ids(group.Select(o => o.ClientOrderId))} marked unknown are live at {adapter.Name} ({Ids(group.Select(o => o.Order.BrokerOrderId))})"
                + (correct ? "; adopted again as accepted (Reconciliation:AutoCorrect)" : "");
            if (await ObserveAsync(db, run, UnknownOrderLiveKind, group.Key, open, null, true, detail, cancellationToken) && correct)
            {
                foreach (var (order, orderId, _) in group)
                {
                    await AdoptAsync(orderId, order, adapter.Name, cancellationToken);
                }
            }
        }

        foreach (var gone in _suspects.Keys.Where(k => k.Broker == adapter.Name && !run.Observed.Contains((k.Kind, k.Symbol))).ToList())
        {
            _suspects.Remove(gone);
        }

        foreach (var resolved in await db.ReconciliationDrifts.Where(d => d.Broker == adapter.Name && d.ResolvedAt == null).ToListAsync(cancellationToken))
        {
            if (!run.Seen.Contains((resolved.Kind, resolved.Symbol)) && !_suspects.ContainsKey((adapter.Name, resolved.Kind, resolved.Symbol)))
            {
                resolved.ResolvedAt = run.Now;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker recorded the same drift a moment earlier (one open row per broker, kind and symbol).
            return;
        }

        await RecordRunAsync(adapter.Name, run.Seen.Count == 0 ? "ok" : "drift", run.Seen.Count, cancellationToken);
        foreach (var drift in run.Confirmed)
        {
            await bus.Publish(drift, cancellationToken);
        }
    }

    /// <summary>AlgoSignal's order for a working broker order: by the broker's id, else by the client order id it echoes (TradeStation cuts it to 22 characters).</summary>
    private static async Task<(long Id, string Status, string ClientOrderId)?> FindAsync(AlgoSignalDbContext db, string broker, BrokerOpenOrder order, CancellationToken cancellationToken)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.Broker == broker);
        var clientOrderId = order.ClientOrderId;
        var found = await orders
            .Where(o => o.BrokerOrderId == order.BrokerOrderId
                || (clientOrderId != null && (o.ClientOrderId == clientOrderId || (clientOrderId.Length >= 16 && o.ClientOrderId.StartsWith(clientOrderId)))))
            .OrderByDescending(o => o.Id)
            .Select(o => new { o.Id, o.Status, o.ClientOrderId })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Id, found.Status, found.ClientOrderId);
    }

    private static string Ids(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return string.Join(", ", list.Take(10)) + (list.Count > 10 ? $" and {list.Count - 10} more" : "");
    }

    private async Task RecordRunAsync(string broker, string outcome, int drifts, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var now = time.GetUtcNow();
        var clipped = outcome.Length > 500 ? outcome[..500] : outcome;
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO reconciliation_runs (broker, ran_at, outcome, drifts) VALUES ({broker}, {now}, {clipped}, {drifts}) ON CONFLICT (broker) DO UPDATE SET ran_at = excluded.ran_at, outcome = excluded.outcome, drifts = excluded.drifts",
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation with {Broker} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string broker, string error);
}
