using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using Npgsql;

namespace AlgoSignal.Worker.Notifications;

// Claiming a channel's due rows (FOR UPDATE SKIP LOCKED, so no two workers send the same one) and the statements a round runs.
public sealed partial class NotificationDispatcher
{
    private static async Task<List<Due>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT id, event, occurred_at, alert_id, strategy, symbol, text, data::text, attempts FROM notifications
            WHERE channel = $1 AND status = '{NotificationStatuses.Pending}' AND next_attempt_at <= $2
            ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = channel });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = RoundSize });
        var due = new List<Due>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new Due(reader.GetInt64(0), reader.GetInt32(8), new OutgoingNotification(
                reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetString(7))));
        }

        return due;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
