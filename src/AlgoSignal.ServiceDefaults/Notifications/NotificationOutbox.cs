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
    // Read once: the hot path of every alert asks, and the channels do not change while the process runs.
    private IReadOnlyList<ChannelSubscription>? _channels;

    private IReadOnlyList<ChannelSubscription> Channels => _channels ??= options.Value.Channels();

    /// <summary>False when no channel is configured: callers then need not even compose their messages.</summary>
    public bool HasChannels => Channels.Count > 0;

    /// <summary>True when some channel is subscribed to <paramref name="eventName"/>: otherwise its message need not be composed.</summary>
    public bool Hears(string eventName) => Channels.Any(c => c.Hears(eventName));

    /// <returns>How many channels will hear of it.</returns>
    public int Add(AlgoSignalDbContext db, NotificationMessage message, string key)
    {
        var added = 0;
        string? data = null;
        foreach (var channel in Channels.Where(c => c.Hears(message.Event)))
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

    /// <summary>
    /// Writes the notification now, for an event that arrived as a message after its own transaction committed (at least
    /// once): a repeat of the same key adds nothing.
    /// </summary>
    public async Task<int> AddNowAsync(Npgsql.NpgsqlDataSource database, NotificationMessage message, string key, CancellationToken cancellationToken)
    {
        var channels = Channels.Where(c => c.Hears(message.Event)).Select(c => c.Name).ToArray();
        if (channels.Length == 0)
        {
            return 0;
        }

        await using var command = database.CreateCommand("""
            INSERT INTO notifications (event, channel, dedupe_key, alert_id, strategy, symbol, text, data, occurred_at, status, next_attempt_at, created_at)
            SELECT $1::text, channel, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::jsonb, $8::timestamptz, $9::text, $8::timestamptz, $8::timestamptz FROM unnest($10::text[]) AS channel
            ON CONFLICT (event, channel, dedupe_key) DO NOTHING
            """);
        object?[] values =
        [
            message.Event, key, message.AlertId, message.Strategy, message.Symbol, message.Text,
            JsonSerializer.Serialize(message.Data, JsonDefaults.SnakeCase), message.OccurredAt, NotificationStatuses.Pending, channels,
        ];
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
