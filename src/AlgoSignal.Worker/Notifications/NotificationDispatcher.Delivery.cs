using System.Text;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using Npgsql;

namespace AlgoSignal.Worker.Notifications;

// One round of a channel: within its budget each due row is its own message, beyond it the last one folds the rest; a failure rests the channel.
public sealed partial class NotificationDispatcher
{
    /// <summary>One round of one channel.</summary>
    public async Task DeliverAsync(ChannelSubscription channel, CancellationToken cancellationToken)
    {
        var sender = senders.First(s => s.Kind == channel.Kind);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ready = await ScalarAsync<bool>(connection, transaction, """
            SELECT pg_try_advisory_xact_lock(hashtext('algosignal.notifications:' || $1))
               AND NOT EXISTS (SELECT 1 FROM notification_channels WHERE channel = $1 AND paused_until > $2)
            """, cancellationToken, channel.Name, now);
        if (!ready)
        {
            return;
        }

        var sent = await ScalarAsync<long>(connection, transaction,
            $"SELECT count(*) FROM notifications WHERE channel = $1 AND status = '{NotificationStatuses.Delivered}' AND delivered_at > $2", cancellationToken, channel.Name, now.AddMinutes(-1));
        var budget = options.Value.MaxPerMinute - (int)sent;
        if (budget <= 0)
        {
            return;
        }

        var due = await ClaimAsync(connection, transaction, channel.Name, now, cancellationToken);
        if (due.Count == 0)
        {
            return;
        }

        // Within the budget each is its own message; beyond it, the last message carries the rest.
        var single = due.Count <= budget ? due.Count : budget - 1;
        for (var i = 0; i <= single && i < due.Count; i++)
        {
            var folded = i == single ? due.GetRange(i, due.Count - i) : [due[i]];
            var message = folded.Count == 1 ? folded[0].Message : Summary(folded);
            SendResult result;
            try
            {
                result = await sender.SendAsync(channel.Name, message, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                result = SendResult.Failed($"{ex.GetType().Name}: {ex.Message}");
            }

            now = time.GetUtcNow();
            if (!result.Delivered)
            {
                await FailedAsync(connection, transaction, channel, folded[0], Redact(result.Error ?? "refused"), result.RetryAfter, now, cancellationToken);
                break;
            }

            await ExecuteAsync(connection, transaction,
                $"UPDATE notifications SET status = '{NotificationStatuses.Delivered}', attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE id = $1", cancellationToken, folded[0].Id, now);
            if (folded.Count > 1)
            {
                await ExecuteAsync(connection, transaction,
                    $"UPDATE notifications SET status = '{NotificationStatuses.Folded}', folded_into = $1, delivered_at = $2 WHERE id = ANY($3)", cancellationToken, folded[0].Id, now, folded.GetRange(1, folded.Count - 1).Select(f => f.Id).ToArray());
            }

            await ExecuteAsync(connection, transaction, """
                INSERT INTO notification_channels (channel, last_success_at, failures) VALUES ($1, $2, 0)
                ON CONFLICT (channel) DO UPDATE SET last_success_at = $2, failures = 0, paused_until = NULL
                """, cancellationToken, channel.Name, now);
            metrics.Notification(channel.Kind, NotificationStatuses.Delivered);
            for (var f = 1; f < folded.Count; f++)
            {
                metrics.Notification(channel.Kind, NotificationStatuses.Folded);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task FailedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ChannelSubscription channel, Due row, string error, TimeSpan? retryAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = await ScalarAsync<int>(connection, transaction,
            "SELECT COALESCE((SELECT failures FROM notification_channels WHERE channel = $1), 0) + 1", cancellationToken, channel.Name);
        var backoff = retryAfter is { } asked && asked > TimeSpan.Zero
            ? asked
            : TimeSpan.FromSeconds(Math.Min(options.Value.MaxBackoffSeconds, Math.Pow(2, Math.Min(failures, 20))));
        var givenUp = row.Attempts + 1 >= options.Value.MaxAttempts;
        await ExecuteAsync(connection, transaction,
            $"UPDATE notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, status = CASE WHEN $4 THEN '{NotificationStatuses.Failed}' ELSE status END WHERE id = $1",
            cancellationToken, row.Id, error, now + backoff, givenUp);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO notification_channels (channel, last_failure_at, last_error, failures, paused_until) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (channel) DO UPDATE SET last_failure_at = $2, last_error = $3, failures = $4, paused_until = $5
            """, cancellationToken, channel.Name, now, error, failures, now + backoff);
        metrics.Notification(channel.Kind, givenUp ? NotificationStatuses.Failed : NotificationStatuses.Retried);
        LogSendFailed(logger, channel.Name, row.Id, error, backoff.TotalSeconds);
    }

    /// <summary>The summary of a burst: the first few lines as they are, then how many more of each event.</summary>
    public static OutgoingNotification Summary(IReadOnlyList<Due> folded)
    {
        var text = new StringBuilder();
        text.Append(folded.Count).Append(" notifications at once (over this channel's limit a minute):\n");
        foreach (var row in folded.Take(SummaryLines))
        {
            text.Append("• ").Append(row.Message.Text).Append('\n');
        }

        if (folded.Count > SummaryLines)
        {
            var counts = folded.TakeLast(folded.Count - SummaryLines).GroupBy(f => f.Message.Event).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}");
            text.Append("and ").Append(folded.Count - SummaryLines).Append(" more: ").Append(string.Join(", ", counts)).Append('.');
        }

        var first = folded[0].Message;
        var data = System.Text.Json.JsonSerializer.Serialize(new
        {
            count = folded.Count,
            events = folded.GroupBy(f => f.Message.Event).ToDictionary(g => g.Key, g => g.Count()),
        });
        return new OutgoingNotification(NotificationEvents.Summary, first.OccurredAt, null, null, null, text.ToString().TrimEnd(), data);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: delivering notification {Id} failed ({Error}); the channel rests {Seconds} s and keeps its backlog")]
    private static partial void LogSendFailed(ILogger logger, string channel, long id, string error, double seconds);
}
