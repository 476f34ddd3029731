using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>Stores the webhook log's queue in batches, closes aggregation windows, and deletes old rows.</summary>
public sealed partial class WebhookLogWriter(
    WebhookLog log, WebhookClientFaults clientFaults, IServiceScopeFactory scopes, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookLogWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRetention = DateTimeOffset.MinValue;
        var batch = new List<WebhookLogEntry>(BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            log.FlushAggregates();
            clientFaults.Flush();
            await DrainAsync(batch);
            if (time.GetUtcNow() - lastRetention > RetentionEvery)
            {
                lastRetention = time.GetUtcNow();
                await DeleteExpiredAsync(stoppingToken);
            }
        }

        // Shutting down: store what is left, including open aggregation windows.
        log.FlushAggregates(all: true);
        clientFaults.Flush(all: true);
        await DrainAsync(batch);
    }

    /// <remarks>
    /// Not cancellable: entries taken off the queue exist nowhere else, and a stop that cancelled
    /// their insert half-way would lose them (the host's shutdown timeout still bounds the wait).
    /// </remarks>
    private async Task DrainAsync(List<WebhookLogEntry> batch)
    {
        var cancellationToken = CancellationToken.None;
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && log.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (batch.Count == 0)
            {
                return;
            }

            var rows = batch.Select(WebhookLogRow.From).ToList();
            try
            {
                await StoreAsync(rows, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (IsOutage(ex))
                {
                    // The log is evidence, not the alert itself (that is in RabbitMQ and the alerts table):
                    // a database outage costs log rows, never alerts.
                    LogWriteFailed(logger, rows.Count, ex.Message);
                    return;
                }

                // One row the database refuses must not cost the other requests their rows.
                await StoreOneByOneAsync(rows, cancellationToken);
            }
        }
    }

    private async Task StoreOneByOneAsync(List<WebhookLogEntity> rows, CancellationToken cancellationToken)
    {
        var dropped = 0;
        string? lastError = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                await StoreAsync([row], cancellationToken);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (IsOutage(ex))
                {
                    LogWriteFailed(logger, dropped + rows.Count - i, ex.Message);
                    return;
                }

                lastError = ex.Message;

                // An insert can fail after it committed (a connection left out of step by the refused batch
                // answers with another command's rows); the request must not get a second row then.
                if (await IsStoredAsync(row, cancellationToken))
                {
                    continue;
                }
            }

            try
            {
                // The payload is what senders control; the row without it still records the request.
                await StoreAsync([WebhookLogRow.WithoutPayload(row)], cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                dropped++;
                lastError = ex.Message;
            }
        }

        if (dropped > 0)
        {
            LogWriteFailed(logger, dropped, lastError ?? "");
        }
    }

    private async Task<bool> IsStoredAsync(WebhookLogEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();

            // PostgreSQL keeps microseconds; .NET times carry ticks.
            var from = row.ReceivedAt.AddMilliseconds(-1);
            var to = row.ReceivedAt.AddMilliseconds(1);
            return await db.WebhookLog.AsNoTracking().AnyAsync(
                e => e.ReceivedAt >= from && e.ReceivedAt <= to && e.Route == row.Route && e.Status == row.Status
                    && e.SourceIp == row.SourceIp && e.AlertId == row.AlertId && e.Reason == row.Reason,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StoreAsync(IReadOnlyList<WebhookLogEntity> rows, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        db.WebhookLog.AddRange(rows.Select(WebhookLogRow.Copy));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A database that cannot be reached fails every row alike: trying them one by one would only add timeouts.</summary>
    private static bool IsOutage(Exception ex) =>
        ex.GetBaseException() is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException;

    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var cutoff = time.GetUtcNow().AddDays(-options.Value.LogRetentionDays);
            await db.WebhookLog.Where(e => e.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWriteFailed(logger, 0, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook log: {Count} entries not stored: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error);
}
