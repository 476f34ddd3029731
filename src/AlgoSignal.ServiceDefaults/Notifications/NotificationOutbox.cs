using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace AlgoSignal.ServiceDefaults.Notifications;

/// <summary>What a notification says, whatever channel carries it.</summary>
public sealed record NotificationMessage(
    string Event, DateTimeOffset OccurredAt, Guid? AlertId, string? Strategy, string? Symbol, string Text, IReadOnlyDictionary<string, object?> Data);

/// <summary>
/// Adds a notification for each configured channel that hears its event to the caller's
/// <see cref="AlgoSignalDbContext"/>, so it is saved by the caller's own transaction: it exists exactly
/// when the decision it tells of does. The key (with the event and channel) is unique in the table, so the
/// same decision told twice is refused by PostgreSQL rather than sent twice.
/// </summary>
public sealed class NotificationOutbox(IOptions<NotificationOptions> options)
{
    /// <returns>How many channels will hear of it.</returns>
    public int Add(AlgoSignalDbContext db, NotificationMessage message, string key)
    {
        var added = 0;
        string? data = null;
        foreach (var channel in options.Value.Channels().Where(c => c.Hears(message.Event)))
        {
            data ??= JsonSerializer.Serialize(message.Data, JsonDefaults.SnakeCase);
            db.Notifications.Add(new NotificationEntity
            {
                Event = message.Event,
                Channel = channel.Name,
                DedupeKey = key,
                AlertId = message.AlertId,
                Strategy = message.Strategy,
                Symbol = message.Symbol,
                Text = message.Text,
                Data = data,
                OccurredAt = message.OccurredAt,
                Status = NotificationStatuses.Pending,
                NextAttemptAt = message.OccurredAt,
                CreatedAt = message.OccurredAt,
            });
            added++;
        }

        return added;
    }
}
