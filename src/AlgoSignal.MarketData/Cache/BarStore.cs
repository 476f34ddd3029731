using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.MarketData;
using Npgsql;
using NpgsqlTypes;

namespace AlgoSignal.MarketData.Cache;

/// <summary>L2: bars in PostgreSQL. Upserts by (exchange, symbol, timeframe, time), so overlapping fetches merge.</summary>
public sealed class BarStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Drops whole series — not fetched since $2, or beyond the $1 most recently fetched — with their bars,
    /// quality reports and quality runs; answers how many series went. One statement for the purge after a
    /// store and the scheduled one, so both forget a series the same way.
    /// </summary>
    private const string DropSeriesSql = """
        WITH doomed AS (
            SELECT exchange, symbol, timeframe FROM bar_series WHERE fetched_at < $2
            UNION
            SELECT exchange, symbol, timeframe FROM (SELECT exchange, symbol, timeframe FROM bar_series ORDER BY fetched_at DESC OFFSET $1) beyond
        ),
        gone AS (
            DELETE FROM bar_series s USING doomed d
            WHERE s.exchange = d.exchange AND s.symbol = d.symbol AND s.timeframe = d.timeframe
            RETURNING s.exchange, s.symbol, s.timeframe
        ),
        reports AS (
            DELETE FROM quality_reports q USING gone g WHERE q.exchange = g.exchange AND q.symbol = g.symbol AND q.timeframe = g.timeframe
        ),
        runs AS (
            DELETE FROM quality_runs r USING gone g WHERE r.exchange = g.exchange AND r.symbol = g.symbol AND r.timeframe = g.timeframe
        ),
        bars AS (
            DELETE FROM bars b USING gone g WHERE b.exchange = g.exchange AND b.symbol = g.symbol AND b.timeframe = g.timeframe
        )
        SELECT count(*) FROM gone
        """;

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
    /// Keeps L2 bounded: <paramref name="key"/>'s bars beyond the newest <paramref name="keepBars"/> and its
    /// quality history before <paramref name="fetchedBefore"/> go; so do whole series not fetched since then
    /// and, beyond <paramref name="maxSeries"/> (0: no limit), the least recently fetched ones.
    /// </summary>
    public async Task PruneAsync(SeriesKey key, int keepBars, int maxSeries, DateTimeOffset fetchedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var own = new NpgsqlBatchCommand("""
            DELETE FROM bars WHERE exchange = $1 AND symbol = $2 AND timeframe = $3 AND time <
                (SELECT time FROM bars WHERE exchange = $1 AND symbol = $2 AND timeframe = $3 ORDER BY time DESC OFFSET $4 LIMIT 1)
            """);
        AddKey(own, key);
        own.Parameters.Add(new NpgsqlParameter { Value = (long)Math.Max(keepBars - 1, 0) });
        var history = new NpgsqlBatchCommand("DELETE FROM quality_reports WHERE exchange = $1 AND symbol = $2 AND timeframe = $3 AND assessed_at < $4");
        AddKey(history, key);
        history.Parameters.Add(new NpgsqlParameter { Value = fetchedBefore });
        var series = new NpgsqlBatchCommand(DropSeriesSql);
        series.Parameters.Add(new NpgsqlParameter { Value = maxSeries == 0 ? long.MaxValue : maxSeries });
        series.Parameters.Add(new NpgsqlParameter { Value = fetchedBefore });
        batch.BatchCommands.Add(own);
        batch.BatchCommands.Add(history);
        batch.BatchCommands.Add(series);
        await batch.ExecuteNonQueryAsync(cancellationToken);
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

    /// <summary>
    /// The scheduled purge of all of L2: each series' bars beyond the newest <paramref name="keepBarsPerSeries"/>,
    /// quality reports assessed before <paramref name="reportsBefore"/>, and whole series (bars, reports, quality
    /// runs) not fetched since <paramref name="seriesFetchedBefore"/> or beyond the <paramref name="maxSeries"/>
    /// most recently fetched (0: no limit).
    /// </summary>
    public async Task<PurgeResult> PurgeAsync(int keepBarsPerSeries, int maxSeries, DateTimeOffset seriesFetchedBefore, DateTimeOffset reportsBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long series;
        await using (var gone = new NpgsqlCommand(DropSeriesSql, connection, transaction))
        {
            gone.Parameters.Add(new NpgsqlParameter { Value = maxSeries == 0 ? long.MaxValue : maxSeries });
            gone.Parameters.Add(new NpgsqlParameter { Value = seriesFetchedBefore });
            series = (long)(await gone.ExecuteScalarAsync(cancellationToken))!;
        }

        int bars;
        await using (var old = new NpgsqlCommand("""
            DELETE FROM bars b USING (
                SELECT exchange, symbol, timeframe, time FROM (
                    SELECT exchange, symbol, timeframe, time, row_number() OVER (PARTITION BY exchange, symbol, timeframe ORDER BY time DESC) AS n FROM bars) ranked
                WHERE n > $1) o
            WHERE b.exchange = o.exchange AND b.symbol = o.symbol AND b.timeframe = o.timeframe AND b.time = o.time
            """, connection, transaction))
        {
            old.Parameters.Add(new NpgsqlParameter { Value = (long)keepBarsPerSeries });
            bars = await old.ExecuteNonQueryAsync(cancellationToken);
        }

        int reports;
        await using (var history = new NpgsqlCommand("DELETE FROM quality_reports WHERE assessed_at < $1", connection, transaction))
        {
            history.Parameters.Add(new NpgsqlParameter { Value = reportsBefore });
            reports = await history.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PurgeResult(bars, reports, series);
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

    public async Task<long> CountSeriesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM bar_series");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("TRUNCATE bars, bar_series");
        await command.ExecuteNonQueryAsync(cancellationToken);
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
