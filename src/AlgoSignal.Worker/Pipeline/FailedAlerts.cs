using AlgoSignal.Domain.Alerts;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Domain;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Records an alert whose processing failed after every retry as <c>failed</c> with the reason, so it
/// is never a 404 (README, "Reliability"). Each attempt uses a fresh <see cref="AlgoSignalDbContext"/>:
/// the one that failed may hold a broken transaction or the very row PostgreSQL refused.
/// </summary>
public static class FailedAlerts
{
    private const int MaxReasonLength = 2000;

    public static string ReasonFor(IEnumerable<(string Type, string Message)> exceptions)
    {
        var reason = "Processing failed after retries: " + string.Join("; ", exceptions.Select(e => $"{e.Type}: {e.Message}"));
        return StoredText.Clean(reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason);
    }

    /// <summary>
    /// The alert as stored <c>failed</c>, and whether this call stored it (then the caller publishes its
    /// event: the lane's filter and the fault consumer may both see the same failure, one records it);
    /// a null alert when it had reached another final state, which stays. When PostgreSQL refuses the
    /// alert's payload itself, the row is stored with a note in its place. Outages are thrown.
    /// </summary>
    public static async Task<(AlertEntity? Alert, bool RecordedNow)> RecordAsync(IServiceScopeFactory scopes, AlertReceived received, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = StoredMessage.Clean(received);
        var payload = message.Payload;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var row = await db.Alerts.FindAsync([message.AlertId], cancellationToken);
            if (row is not null && AlertStatuses.IsFinal(row.Status))
            {
                return (row.Status == AlertStatuses.Failed ? row : null, false);
            }

            if (row is null)
            {
                row = new AlertEntity
                {
                    AlertId = message.AlertId,
                    Source = message.Source,
                    SourceIp = message.SourceIp,
                    Strategy = message.Strategy,
                    Status = AlertStatuses.Failed,
                    ReceivedAt = message.ReceivedAt,
                    Payload = payload,
                };
                db.Alerts.Add(row);
            }

            row.Status = AlertStatuses.Failed;
            row.Reason = reason;
            row.UpdatedAt = now;
            scope.ServiceProvider.GetService<Notifications.AlertNotifications>()?.Add(db, row, null, [], now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                scope.ServiceProvider.GetService<AlgoSignal.ServiceDefaults.Telemetry.AlgoSignalMetrics>()?.AlertFinal(AlertStatuses.Failed);
                return (row, true);
            }
            catch (DbUpdateException ex) when (attempt < 3 && ex.InnerException is PostgresException { IsTransient: false } refused)
            {
                // 23505: another consumer (the fault queue's) stored it first; the next attempt reads it.
                if (refused.SqlState != PostgresErrorCodes.UniqueViolation)
                {
                    payload = JsonSerializer.Serialize(new { unstored_payload = $"PostgreSQL refused the payload ({refused.SqlState}): {refused.MessageText}" });
                }
            }
        }
    }
}
