using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.MarketData;
using Npgsql;
using NpgsqlTypes;

namespace AlgoSignal.MarketData.Cache;

// Writes: a fetched series with its quality report in one transaction, and the run of degraded fetches.
public sealed partial class BarStore
{
    public async Task SaveAsync(CachedSeries series, TradingSession? session, CancellationToken cancellationToken)
    {
        var bars = series.Bars;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One statement for the whole batch: arrays unnested server-side.
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO bars (exchange, symbol, timeframe, time, open, high, low, close, volume)
            SELECT $1, $2, $3, t, o, h, l, c, v FROM unnest($4, $5, $6, $7, $8, $9) AS u(t, o, h, l, c, v)
            ON CONFLICT (exchange, symbol, timeframe, time) DO UPDATE
            SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
            """, connection, transaction))
        {
            AddKey(upsert, series.Key);
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.Time.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.Open).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.High).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.Low).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.Close).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = bars.Select(b => b.Volume).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var meta = new NpgsqlCommand("""
            INSERT INTO bar_series (exchange, symbol, timeframe, fetched_at, has_volume, description, session, timezone, quality_score, quality)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
            ON CONFLICT (exchange, symbol, timeframe) DO UPDATE
            SET fetched_at = EXCLUDED.fetched_at, has_volume = EXCLUDED.has_volume, description = EXCLUDED.description,
                session = EXCLUDED.session, timezone = EXCLUDED.timezone, quality_score = EXCLUDED.quality_score, quality = EXCLUDED.quality
            """, connection, transaction))
        {
            AddKey(meta, series.Key);
            meta.Parameters.Add(new NpgsqlParameter { Value = series.FetchedAt });
            meta.Parameters.Add(new NpgsqlParameter { Value = series.HasVolume });
            meta.Parameters.Add(new NpgsqlParameter { Value = (object?)series.Description ?? DBNull.Value });
            meta.Parameters.Add(new NpgsqlParameter { Value = session is null ? DBNull.Value : $"{session.Open:HHmm}-{session.Close:HHmm}" });
            meta.Parameters.Add(new NpgsqlParameter { Value = (object?)session?.TimeZone ?? DBNull.Value });
            meta.Parameters.Add(new NpgsqlParameter { Value = (object?)series.Quality?.Score ?? DBNull.Value });
            meta.Parameters.Add(new NpgsqlParameter { Value = series.Quality is null ? DBNull.Value : JsonSerializer.Serialize(series.Quality, JsonDefaults.SnakeCase) });
            await meta.ExecuteNonQueryAsync(cancellationToken);
        }

        if (series.Quality is { } report)
        {
            await using var history = new NpgsqlCommand(
                "INSERT INTO quality_reports (exchange, symbol, timeframe, assessed_at, score, level, report) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)", connection, transaction);
            AddKey(history, series.Key);
            history.Parameters.Add(new NpgsqlParameter { Value = series.FetchedAt });
            history.Parameters.Add(new NpgsqlParameter { Value = report.Score });
            history.Parameters.Add(new NpgsqlParameter { Value = report.Level });
            history.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(report, JsonDefaults.SnakeCase) });
            await history.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Counts the fetch into the series' run of degraded fetches, atomically (several workers may fetch the
    /// same series): a degraded fetch adds one, a good one resets the run to zero.
    /// </summary>
    /// <returns>The run's length after this fetch.</returns>
    public async Task<int> RecordQualityRunAsync(SeriesKey key, bool degraded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO quality_runs (exchange, symbol, timeframe, degraded_runs, updated_at) VALUES ($1, $2, $3, CASE WHEN $4 THEN 1 ELSE 0 END, $5)
            ON CONFLICT (exchange, symbol, timeframe) DO UPDATE
            SET degraded_runs = CASE WHEN $4 THEN quality_runs.degraded_runs + 1 ELSE 0 END, updated_at = EXCLUDED.updated_at
            RETURNING degraded_runs
            """);
        AddKey(command.Parameters, key);
        command.Parameters.Add(new NpgsqlParameter { Value = degraded });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
