using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>Stores the webhook log's queue in batches, closes aggregation windows, and deletes old rows.</summary>
public sealed partial class WebhookLogWriter(
    WebhookLog log, IServiceScopeFactory scopes, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookLogWriter> logger) : BackgroundService
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
            await DrainAsync(batch, stoppingToken);
            if (time.GetUtcNow() - lastRetention > RetentionEvery)
            {
                lastRetention = time.GetUtcNow();
                await DeleteExpiredAsync(stoppingToken);
            }
        }

        // Shutting down: store what is left, including open aggregation windows.
        log.FlushAggregates(all: true);
        await DrainAsync(batch, CancellationToken.None);
    }

    private async Task DrainAsync(List<WebhookLogEntry> batch, CancellationToken cancellationToken)
    {
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

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
                db.WebhookLog.AddRange(batch.Select(e => new WebhookLogEntity
                {
                    ReceivedAt = e.ReceivedAt,
                    Route = e.Route,
                    SourceIp = e.SourceIp,
                    Status = e.Status,
                    Reason = e.Reason is { Length: > 2000 } text ? text[..2000] : e.Reason,
                    AlertId = e.AlertId,
                    Strategy = e.Strategy,
                    Payload = e.Payload,
                    Count = e.Count,
                }));
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The log is evidence, not the alert itself (that is in RabbitMQ and the alerts table):
                // a database outage costs log rows, never alerts.
                LogWriteFailed(logger, batch.Count, ex.Message);
                return;
            }
        }
    }

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
