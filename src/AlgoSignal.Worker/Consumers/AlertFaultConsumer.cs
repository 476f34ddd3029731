using AlgoSignal.Contracts;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// An alert whose processing failed after every retry (its message is in the lane's <c>_error</c>
/// queue) still ends in a visible final state: <c>failed</c>, with the reason.
/// </summary>
public sealed partial class AlertFaultConsumer(AlgoSignalDbContext db, TimeProvider time, AlgoSignal.ServiceDefaults.Telemetry.AlgoSignalMetrics metrics, ILogger<AlertFaultConsumer> logger) : IConsumer<Fault<AlertReceived>>
{
    public async Task Consume(ConsumeContext<Fault<AlertReceived>> context)
    {
        var alert = context.Message.Message;
        var reason = "Processing failed after retries: " + string.Join("; ", context.Message.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));
        if (reason.Length > 2000)
        {
            reason = reason[..2000];
        }

        var now = time.GetUtcNow();
        var row = await db.Alerts.FindAsync([alert.AlertId], context.CancellationToken);
        if (row is null)
        {
            db.Alerts.Add(new AlertEntity
            {
                AlertId = alert.AlertId,
                Source = alert.Source,
                SourceIp = alert.SourceIp,
                Strategy = alert.Strategy,
                Status = AlertStatuses.Failed,
                Reason = reason,
                ReceivedAt = alert.ReceivedAt,
                UpdatedAt = now,
                Payload = alert.Payload,
            });
        }
        else if (!AlertStatuses.IsFinal(row.Status))
        {
            row.Status = AlertStatuses.Failed;
            row.Reason = reason;
            row.UpdatedAt = now;
        }
        else
        {
            return;
        }

        await db.SaveChangesAsync(context.CancellationToken);
        metrics.AlertFinal(AlertStatuses.Failed);
        LogFailed(logger, alert.AlertId, reason);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid alertId, string reason);
}
