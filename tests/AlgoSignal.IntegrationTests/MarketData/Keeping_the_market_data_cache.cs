using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData.Cache;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// The cache's settings at work: the warm-up list fetched at start and kept fresh, freshness per timeframe,
/// and the purge of L2 (bars per series, old series with their reports and quality runs, old reports).
/// Real ingress, worker and PostgreSQL; MOCK: symbols come from the mock provider.
/// </summary>
public sealed class Keeping_the_market_data_cache : IAsyncLifetime
{
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _environment = new AlgoSignalFixture(workers: 1, new Dictionary<string, string>
        {
            ["MarketData:Cache:WarmUp:0:Symbol"] = "MOCK:WARM",
            ["MarketData:Cache:WarmUp:0:Timeframe"] = "1h",
            ["MarketData:Cache:WarmUp:0:Bars"] = "120",
            ["MarketData:Cache:FreshnessSeconds:1h"] = "3",
            ["MarketData:Cache:FreshnessSeconds:1D"] = "1",
            ["MarketData:Cache:ExportDatasets"] = "false",
        });
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    private async Task<string> SourceAsync(string query, HttpClient? http = null)
    {
        using var response = await (http ?? _environment.Http).GetAsync("/api/tv/ohlc?" + query);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("source").GetString()!;
    }

    private async Task<DateTimeOffset?> FetchedAtAsync(string symbol)
    {
        await using var connection = new NpgsqlConnection(_environment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT fetched_at FROM bar_series WHERE exchange = 'MOCK' AND symbol = $1", connection) { Parameters = { new() { Value = symbol } } };
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetUtcNow() + within;
        var value = await read();
        while (!done(value) && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }

    [Fact]
    public async Task Should_warm_the_listed_series_at_start_and_keep_it_fresh()
    {
        var first = await EventuallyAsync(() => FetchedAtAsync("WARM"), at => at is not null, TimeSpan.FromSeconds(15));
        first.ShouldNotBeNull("the worker fetched the warm-up series without being asked");
        (await SourceAsync("symbol=MOCK:WARM&timeframe=1h&n_bars=120")).ShouldBe("database", "the first request is a hit");

        var later = await EventuallyAsync(() => FetchedAtAsync("WARM"), at => at > first, TimeSpan.FromSeconds(15));
        later.ShouldNotBeNull().ShouldBeGreaterThan(first.Value, "fetched again once it was no longer fresh (3 s)");
    }

    [Fact]
    public async Task Should_answer_from_cache_only_as_long_as_the_timeframe_is_configured_fresh()
    {
        // This ingress judges freshness by a clock the test moves; the series' fetch time is the worker's own clock's.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ingress = await _environment.StartIngressAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        (await SourceAsync("symbol=MOCK:DAILY&timeframe=1D&n_bars=30", ingress.Http)).ShouldBe("mock");
        (await SourceAsync("symbol=MOCK:DAILY&timeframe=1D&n_bars=30", ingress.Http)).ShouldBe("memory");
        clock.SetUtcNow(TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(1.2));
        (await SourceAsync("symbol=MOCK:DAILY&timeframe=1D&n_bars=30", ingress.Http)).ShouldBe("mock", "a daily series is fresh for 1 s here, not the default hour");
    }

    [Fact]
    public async Task Should_build_a_higher_timeframe_from_a_cached_lower_one_and_mark_it()
    {
        using var minutes = await _environment.Http.GetAsync("/api/tv/ohlc?symbol=MOCK:RES&timeframe=1m&n_bars=600");
        var lower = (await minutes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ohlc").EnumerateArray().ToList();

        using var response = await _environment.Http.GetAsync("/api/tv/ohlc?symbol=MOCK:RES&timeframe=15m&n_bars=30");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("source").GetString().ShouldBe("resampled");
        var built = body.GetProperty("ohlc").EnumerateArray().ToList();
        built.Count.ShouldBe(30);
        var bucket = built[^2].GetProperty("time").GetString()!;
        var start = lower.FindIndex(b => b.GetProperty("time").GetString() == bucket);
        start.ShouldBeGreaterThanOrEqualTo(0);
        built[^2].GetProperty("open").GetDouble().ShouldBe(lower[start].GetProperty("open").GetDouble());
        built[^2].GetProperty("close").GetDouble().ShouldBe(lower[start + 14].GetProperty("close").GetDouble());
        built[^2].GetProperty("high").GetDouble().ShouldBe(lower.Skip(start).Take(15).Max(b => b.GetProperty("high").GetDouble()));

        // A hole in the stored minutes: no resampling (an instance with an empty memory reads PostgreSQL).
        await using (var connection = new NpgsqlConnection(_environment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var hole = new NpgsqlCommand("DELETE FROM bars WHERE symbol = 'RES' AND timeframe = '1' AND time = (SELECT max(time) - interval '20 minutes' FROM bars WHERE symbol = 'RES' AND timeframe = '1')", connection);
            (await hole.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        await using var fresh = await _environment.StartIngressAsync();
        using var again = await fresh.Http.GetAsync("/api/tv/ohlc?symbol=MOCK:RES&timeframe=15m&n_bars=30");
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString().ShouldBe("mock", "a range with a hole is fetched, not built");
    }

    [Fact]
    public async Task Should_purge_bars_beyond_the_limit_old_series_and_old_reports()
    {
        await SourceAsync("symbol=MOCK:KEEP&timeframe=1h&n_bars=300");
        await SourceAsync("symbol=MOCK:STALE&timeframe=1h&n_bars=50");
        await using var connection = new NpgsqlConnection(_environment.ConnectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        await using (var age = new NpgsqlCommand("UPDATE bar_series SET fetched_at = fetched_at - interval '40 days' WHERE symbol = 'STALE'", connection))
        {
            await age.ExecuteNonQueryAsync();
        }

        (await CountAsync("SELECT count(*) FROM quality_runs WHERE symbol = 'STALE'")).ShouldBe(1);
        var now = TimeProvider.System.GetUtcNow();
        await using var dataSource = NpgsqlDataSource.Create(_environment.ConnectionString);
        var purged = await new BarStore(dataSource).PurgeAsync(keepBarsPerSeries: 100, maxSeries: 0, seriesFetchedBefore: now.AddDays(-30), reportsBefore: now.AddSeconds(1), CancellationToken.None);

        purged.Series.ShouldBeGreaterThanOrEqualTo(1);
        (await CountAsync("SELECT count(*) FROM bars WHERE symbol = 'KEEP'")).ShouldBe(100, "the newest 100 bars are kept");
        (await CountAsync("SELECT count(*) FROM bars WHERE symbol = 'KEEP' AND time < now() - interval '101 hours'")).ShouldBe(0, "the oldest went");
        (await CountAsync("SELECT count(*) FROM bar_series WHERE symbol = 'STALE'")).ShouldBe(0);
        (await CountAsync("SELECT count(*) FROM bars WHERE symbol = 'STALE'")).ShouldBe(0);
        (await CountAsync("SELECT count(*) FROM quality_runs WHERE symbol = 'STALE'")).ShouldBe(0);
        (await CountAsync("SELECT count(*) FROM quality_reports")).ShouldBe(0, "reports assessed before the cut-off went");
        (await CountAsync("SELECT count(*) FROM bar_series WHERE symbol = 'KEEP'")).ShouldBe(1, "a fresh series stays");
    }
}
