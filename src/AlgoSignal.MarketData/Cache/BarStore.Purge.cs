using AlgoSignal.Domain.MarketData;
using Npgsql;

namespace AlgoSignal.MarketData.Cache;

// Keeping L2 bounded: the prune after a store, the scheduled purge, and clearing it all.
public sealed partial class BarStore
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

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("TRUNCATE bars, bar_series");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
