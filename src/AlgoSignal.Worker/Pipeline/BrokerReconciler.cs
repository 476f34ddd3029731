using AlgoSignal.Brokers;
using AlgoSignal.Contracts;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// At start and every <see cref="ReconciliationOptions.IntervalSeconds"/>, compares each live broker's positions
/// with AlgoSignal's books. A difference seen twice in a row (once could be a fill the poller has not read yet)
/// is recorded, shown at <c>GET /api/v1/reconciliation</c> and published as <see cref="ReconciliationDriftDetected"/>;
/// it is never corrected automatically. A drift no longer seen is marked resolved.
/// </summary>
public sealed partial class BrokerReconciler(
    IServiceScopeFactory scopes, BrokerRegistry brokers, IBus bus, TimeProvider time, IOptions<ReconciliationOptions> options, ILogger<BrokerReconciler> logger) : BackgroundService
{
    public const string PositionKind = "position";

    private readonly Dictionary<(string Broker, string Symbol), decimal> _suspects = [];

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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var rows = await db.Positions.AsNoTracking().Where(p => p.Broker == adapter.Name && p.Quantity != 0m).ToListAsync(cancellationToken);

        // AlgoSignal keeps positions per route account and TradingView symbol; the broker per its own symbol.
        var ours = rows.GroupBy(p => adapter.BrokerSymbol(p.Symbol).ToUpperInvariant()).ToDictionary(g => g.Key, g => g.Sum(p => p.Quantity));
        var now = time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var confirmed = new List<ReconciliationDriftDetected>();
        var symbols = theirs.Keys.Union(ours.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _suspects.Keys.Where(k => k.Broker == adapter.Name && !symbols.Contains(k.Symbol)).ToList())
        {
            _suspects.Remove(gone);
        }

        foreach (var symbol in symbols)
        {
            var broker = theirs.GetValueOrDefault(symbol);
            var ourQuantity = ours.GetValueOrDefault(symbol);
            var key = (adapter.Name, symbol);
            if (broker == ourQuantity)
            {
                _suspects.Remove(key);
                continue;
            }

            if (!_suspects.TryGetValue(key, out var before) || before != broker - ourQuantity)
            {
                // First sighting (or a different gap): confirmed only if the next comparison sees the same.
                _suspects[key] = broker - ourQuantity;
                continue;
            }

            seen.Add(symbol);
            var detail = ourQuantity == 0m
                ? $"{adapter.Name} holds {broker} {symbol} that AlgoSignal does not know"
                : broker == 0m
                    ? $"AlgoSignal holds {ourQuantity} {symbol} that {adapter.Name} does not report"
                    : $"{adapter.Name} reports {broker} {symbol}, AlgoSignal holds {ourQuantity}";
            var open = await db.ReconciliationDrifts.FirstOrDefaultAsync(d => d.Broker == adapter.Name && d.Kind == PositionKind && d.Symbol == symbol && d.ResolvedAt == null, cancellationToken);
            if (open is null)
            {
                db.ReconciliationDrifts.Add(new ReconciliationDriftEntity
                {
                    Broker = adapter.Name, Kind = PositionKind, Symbol = symbol, BrokerQuantity = broker, OurQuantity = ourQuantity,
                    Detail = detail, DetectedAt = now, LastSeenAt = now,
                });
                confirmed.Add(new ReconciliationDriftDetected(adapter.Name, PositionKind, symbol, broker, ourQuantity, detail, now));
                LogDrift(logger, adapter.Name, detail);
            }
            else
            {
                open.BrokerQuantity = broker;
                open.OurQuantity = ourQuantity;
                open.Detail = detail;
                open.LastSeenAt = now;
            }
        }

        foreach (var resolved in await db.ReconciliationDrifts.Where(d => d.Broker == adapter.Name && d.ResolvedAt == null).ToListAsync(cancellationToken))
        {
            if (!seen.Contains(resolved.Symbol) && !_suspects.ContainsKey((adapter.Name, resolved.Symbol)))
            {
                resolved.ResolvedAt = now;
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

        await RecordRunAsync(adapter.Name, seen.Count == 0 ? "ok" : "drift", seen.Count, cancellationToken);
        foreach (var drift in confirmed)
        {
            await bus.Publish(drift, cancellationToken);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation drift at {Broker}: {Detail}")]
    private static partial void LogDrift(ILogger logger, string broker, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation with {Broker} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string broker, string error);
}
