using System.Diagnostics;
using Npgsql;

namespace AlgoSignal.Bench;

/// <summary>What became of the accepted alerts, read from PostgreSQL: end-to-end latency and loss.</summary>
public static class Outcomes
{
    /// <summary>Waits until every accepted alert is stored in a final state (or the wait ends).</summary>
    /// <returns>How many are still missing or not final.</returns>
    public static async Task<int> WaitFinalAsync(string connectionString, IReadOnlyCollection<Guid> ids, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? untilStalledFor = null)
    {
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var pending = ids.Count;
        while (clock.Elapsed < timeout && (untilStalledFor is not { } stall || progress.Elapsed < stall))
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM alerts WHERE alert_id = ANY($1) AND status <> 'received'", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
            var now = ids.Count - (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (now < pending)
            {
                progress.Restart();
            }

            pending = now;
            if (pending == 0)
            {
                return 0;
            }

            await Task.Delay(250, cancellationToken);
        }

        return pending;
    }

    /// <summary>Milliseconds from the ingress receiving each alert to its paper fill being recorded.</summary>
    public static async Task<List<double>> EndToEndAsync(string connectionString, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand("""
            SELECT extract(epoch FROM (o.updated_at - a.received_at)) * 1000
            FROM alerts a JOIN orders o ON o.alert_id = a.alert_id
            WHERE a.alert_id = ANY($1) AND o.status = 'filled'
            """, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var values = new List<double>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add((double)reader.GetDecimal(0));
        }

        return values;
    }
}
