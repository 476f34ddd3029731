using System.Globalization;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// Once a day at <c>Notifications:DailySummaryAt</c> (UTC), queues <c>summary.daily</c> for the channels that subscribe to
/// it: the last 24 hours' alerts by final state, fills and failed notifications. Keyed by the date, so several workers
/// queue it once.
/// </summary>
public sealed class DailySummary(NpgsqlDataSource database, NotificationOutbox outbox, IOptions<NotificationOptions> options, TimeProvider time)
{
    private DateOnly? _done;

    public async Task QueueIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_done == today || now.TimeOfDay < options.Value.DailySummaryAt || !options.Value.Channels().Any(c => c.Events.Contains(NotificationEvents.SummaryDaily)))
        {
            return;
        }

        var since = now.AddDays(-1);
        var statuses = new List<string>();
        await using (var command = database.CreateCommand("SELECT status, count(*) FROM alerts WHERE updated_at > $1 GROUP BY status ORDER BY count(*) DESC, status"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statuses.Add($"{reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)} {reader.GetString(0)}");
            }
        }

        long fills, failed;
        await using (var command = database.CreateCommand(
            "SELECT (SELECT count(*) FROM order_events WHERE type = $3 AND created_at > $1), (SELECT count(*) FROM notifications WHERE status = $2 AND created_at > $1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            command.Parameters.Add(new NpgsqlParameter { Value = NotificationStatuses.Failed });
            command.Parameters.Add(new NpgsqlParameter { Value = Domain.Orders.OrderStatuses.Filled });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (fills, failed) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var text = $"Daily summary ({today:yyyy-MM-dd}, last 24 h): alerts {(statuses.Count == 0 ? "none" : string.Join(", ", statuses))}; {fills} fills; {failed} notifications failed.";
        await outbox.AddNowAsync(database, new NotificationMessage(NotificationEvents.SummaryDaily, now, null, null, null, text, new Dictionary<string, object?>
        {
            ["date"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["alerts"] = statuses, ["fills"] = fills, ["failed_notifications"] = failed,
        }), $"summary:{today:yyyy-MM-dd}", cancellationToken);
        _done = today;
    }
}
