using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace AlgoSignal.Bench;

/// <summary>
/// <c>/api/tv/ohlc</c> latency for 5,000 bars: from memory (L1, the same series again and again) and
/// from PostgreSQL (L2, a different stored series each time, so memory never answers).
/// </summary>
public static class MarketDataProbe
{
    public const int Bars = 5_000;

    public static async Task SeedAsync(string connectionString, int series, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var meta = new NpgsqlCommand("""
            INSERT INTO bar_series (exchange, symbol, timeframe, fetched_at, has_volume, quality_score)
            SELECT 'BENCH', 'S' || s, '1', now(), true, 1 FROM generate_series(0, $1 - 1) s
            """, connection))
        {
            meta.Parameters.Add(new NpgsqlParameter { Value = series });
            await meta.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var seed = new NpgsqlCommand($$"""
            INSERT INTO bars (exchange, symbol, timeframe, time, open, high, low, close, volume)
            SELECT 'BENCH', 'S' || s, '1', date_trunc('minute', now()) - make_interval(mins => b), 100 + b % 7, 101 + b % 7, 99 + b % 7, 100.5 + b % 7, 1000 + b
            FROM generate_series(0, $1 - 1) s, generate_series(0, {{Bars - 1}}) b;
            """, connection);
        seed.Parameters.Add(new NpgsqlParameter { Value = series });
        seed.CommandTimeout = 300;
        await seed.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<(double P50, double P99, string Source)> MeasureAsync(HttpClient http, IEnumerable<string> symbols, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var sources = new HashSet<string>();
        foreach (var symbol in symbols)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"/api/tv/ohlc?symbol={symbol}&exchange=BENCH&timeframe=1&n_bars={Bars}", cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(body);
            sources.Add(document.RootElement.GetProperty("source").GetString()!);
            if (document.RootElement.GetProperty("count").GetInt32() != Bars)
            {
                throw new InvalidOperationException($"Expected {Bars} bars for {symbol}.");
            }
        }

        return (Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), string.Join("+", sources));
    }
}
