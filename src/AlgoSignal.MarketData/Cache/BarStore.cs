using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.MarketData;
using Npgsql;

namespace AlgoSignal.MarketData.Cache;

/// <summary>L2: bars in PostgreSQL. Upserts by (exchange, symbol, timeframe, time), so overlapping fetches merge.</summary>
/// <remarks>Here the reads; the writes are in <c>BarStore.Writes.cs</c>, pruning, purging and clearing in <c>BarStore.Purge.cs</c>.</remarks>
public sealed partial class BarStore(NpgsqlDataSource dataSource)
{
    public async Task<CachedSeries?> LoadAsync(SeriesKey key, int bars, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        DateTimeOffset fetchedAt;
        bool hasVolume;
        string? description;
        QualityReport? quality;
        await using (var meta = new NpgsqlCommand("SELECT fetched_at, has_volume, description, quality FROM bar_series WHERE exchange = $1 AND symbol = $2 AND timeframe = $3", connection))
        {
            AddKey(meta, key);
            await using var reader = await meta.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            fetchedAt = reader.GetFieldValue<DateTimeOffset>(0);
            hasVolume = reader.GetBoolean(1);
            description = reader.IsDBNull(2) ? null : reader.GetString(2);
            quality = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<QualityReport>(reader.GetString(3), JsonDefaults.SnakeCase);
        }

        var rows = new List<Bar>(bars);
        await using (var select = new NpgsqlCommand(
            "SELECT time, open, high, low, close, volume FROM bars WHERE exchange = $1 AND symbol = $2 AND timeframe = $3 ORDER BY time DESC LIMIT $4", connection))
        {
            AddKey(select, key);
            select.Parameters.Add(new NpgsqlParameter { Value = bars });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new Bar(reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5)));
            }
        }

        rows.Reverse();
        return new CachedSeries(key, rows, fetchedAt, hasVolume, quality, description);
    }

    /// <summary>The timeframes stored for a symbol and when each was fetched (one round trip, for resampling).</summary>
    public async Task<Dictionary<string, DateTimeOffset>> StoredTimeframesAsync(string exchange, string symbol, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT timeframe, fetched_at FROM bar_series WHERE exchange = $1 AND symbol = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = exchange });
        command.Parameters.Add(new NpgsqlParameter { Value = symbol });
        var stored = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return stored;
    }

    public async Task<long> CountSeriesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM bar_series");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void AddKey(NpgsqlCommand command, SeriesKey key) => AddKey(command.Parameters, key);

    private static void AddKey(NpgsqlBatchCommand command, SeriesKey key) => AddKey(command.Parameters, key);

    private static void AddKey(NpgsqlParameterCollection parameters, SeriesKey key)
    {
        parameters.Add(new NpgsqlParameter { Value = key.Exchange });
        parameters.Add(new NpgsqlParameter { Value = key.Symbol });
        parameters.Add(new NpgsqlParameter { Value = key.Timeframe });
    }
}
