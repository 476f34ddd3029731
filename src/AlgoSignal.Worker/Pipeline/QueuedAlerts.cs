using AlgoSignal.Domain.Alerts;
using System.Security.Cryptography;
using AlgoSignal.Contracts;
using AlgoSignal.Domain;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>What the <c>submit-alert</c> queue stores for a message it cannot accept, readable or not.</summary>
public static class QueuedAlerts
{
    public const string Source = "queue";

    /// <summary>The message id is the alert id, so a redelivery is the same alert; without one, the body decides.</summary>
    public static Guid AlertIdFor(Guid? messageId, byte[] body)
    {
        if (messageId is { } id && id != Guid.Empty)
        {
            return id;
        }

        var hash = SHA256.HashData(body);
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// Stores the alert <c>rejected</c> with the reason (once: a redelivery finds it) and answers the
    /// event its followers get, as for any alert that ends without an order.
    /// </summary>
    public static async Task<SignalRejected> RejectAsync(
        AlgoSignalDbContext db, Guid alertId, string? strategy, string reason, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.Alerts.FindAsync([alertId], cancellationToken);
        if (row is null)
        {
            row = new AlertEntity
            {
                AlertId = alertId,
                Source = Source,
                Strategy = StoredText.Clean(strategy),
                Status = AlertStatuses.Rejected,
                Reason = StoredText.Clean(reason),
                ReceivedAt = now,
                UpdatedAt = now,
                Payload = StoredText.Json(payload),
            };
            db.Alerts.Add(row);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new SignalRejected(row.AlertId, row.Strategy, row.Status, null, row.Reason);
    }
}
