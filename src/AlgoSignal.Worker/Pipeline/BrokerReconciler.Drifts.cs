using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

// A difference noted until a second comparison confirms it, then recorded; an order marked unknown adopted again.
public sealed partial class BrokerReconciler
{
    /// <summary>
    /// Notes one comparison: a difference is confirmed when the previous comparison saw the same, then recorded (or its
    /// open record refreshed). Answers whether it is confirmed.
    /// </summary>
    private async Task<bool> ObserveAsync(
        AlgoSignalDbContext db, Run run, string kind, string symbol, decimal brokerQuantity, decimal? ourQuantity, bool differs, string detail, CancellationToken cancellationToken)
    {
        var key = (run.Broker, kind, symbol);
        if (!differs)
        {
            _suspects.Remove(key);
            return false;
        }

        run.Observed.Add((kind, symbol));
        var gap = brokerQuantity - (ourQuantity ?? 0m);
        if (!_suspects.TryGetValue(key, out var before) || before != gap)
        {
            // First sighting (or a different gap): confirmed only if the next comparison sees the same.
            _suspects[key] = gap;
            return false;
        }

        run.Seen.Add((kind, symbol));
        var open = await db.ReconciliationDrifts.FirstOrDefaultAsync(d => d.Broker == run.Broker && d.Kind == kind && d.Symbol == symbol && d.ResolvedAt == null, cancellationToken);
        if (open is null)
        {
            db.ReconciliationDrifts.Add(new ReconciliationDriftEntity
            {
                Broker = run.Broker, Kind = kind, Symbol = symbol, BrokerQuantity = brokerQuantity, OurQuantity = ourQuantity,
                Detail = detail, DetectedAt = run.Now, LastSeenAt = run.Now,
            });
            run.Confirmed.Add(new ReconciliationDriftDetected(run.Broker, kind, symbol, brokerQuantity, ourQuantity, detail, run.Now));
            LogDrift(logger, run.Broker, detail);
        }
        else
        {
            open.BrokerQuantity = brokerQuantity;
            open.OurQuantity = ourQuantity;
            open.Detail = detail;
            open.LastSeenAt = run.Now;
        }

        return true;
    }

    /// <summary>An order marked unknown that is live at the broker becomes accepted again, so the poller and the stream follow it.</summary>
    private async Task AdoptAsync(long orderId, BrokerOpenOrder live, string broker, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").Include(o => o.Events).FirstOrDefaultAsync(cancellationToken);
        if (order is null || order.Status != OrderStatuses.Unknown)
        {
            // Settled meanwhile.
            return;
        }

        order.BrokerOrderId ??= live.BrokerOrderId;
        BrokerOrderUpdates.Mark(order, OrderStatuses.Accepted, $"live at {broker} (order {live.BrokerOrderId}); adopted again by reconciliation", time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogAdopted(logger, order.ClientOrderId, broker);
    }

    private sealed class Run(string broker, DateTimeOffset now)
    {
        public string Broker { get; } = broker;

        public DateTimeOffset Now { get; } = now;

        /// <summary>Differences seen in this comparison (confirmed or not).</summary>
        public HashSet<(string Kind, string Symbol)> Observed { get; } = [];

        /// <summary>Differences confirmed (seen twice in a row).</summary>
        public HashSet<(string Kind, string Symbol)> Seen { get; } = [];

        public List<ReconciliationDriftDetected> Confirmed { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation drift at {Broker}: {Detail}")]
    private static partial void LogDrift(ILogger logger, string broker, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId} marked unknown is live at {Broker}: adopted again as accepted (Reconciliation:AutoCorrect)")]
    private static partial void LogAdopted(ILogger logger, string clientOrderId, string broker);
}
