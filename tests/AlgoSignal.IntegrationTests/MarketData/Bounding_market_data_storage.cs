using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>Hostile amounts of market-data requests: datasets, PostgreSQL and request rates stay within their settings.</summary>
public sealed class Bounding_market_data_storage : IAsyncLifetime
{
    private const string SecondKey = "second-api-key-0123456789abcdef";

    private readonly string _datasets = Path.Combine(Path.GetTempPath(), "algosignal-bounded-" + Guid.NewGuid().ToString("N")[..8]);
    private FakeTradingView _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        var settings = _fake.Settings();
        settings["MarketData:Cache:DatasetsPath"] = _datasets;
        settings["MarketData:Exports:MaxFiles"] = "2";
        settings["MarketData:Cache:DatabaseMaxSeries"] = "2";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
        if (Directory.Exists(_datasets))
        {
            Directory.Delete(_datasets, recursive: true);
        }
    }

    private async Task FetchAsync(string symbol, int count)
    {
        using var response = await _environment.Http.PostAsJsonAsync("/api/v1/data/historical", new { symbol, timeframe = "1D", count, use_cache = false });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<long> StoredBarsAsync(string symbol)
    {
        await using var connection = new NpgsqlConnection(_environment.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM bars WHERE symbol = $1", connection) { Parameters = { new NpgsqlParameter { Value = symbol } } };
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Should_keep_one_dataset_per_series_rewritten_and_no_more_files_or_series_than_configured()
    {
        await FetchAsync("FAKEX:EXPA", 100);
        await FetchAsync("FAKEX:EXPA", 60);
        Directory.GetFiles(_datasets).Select(Path.GetFileName).ShouldBe(["FAKEX_EXPA_1D.csv"], "the bar count is not part of the name");
        (await DatasetExporter.ReadAsync(Path.Combine(_datasets, "FAKEX_EXPA_1D.csv"), CancellationToken.None)).Count.ShouldBe(60, "the file was rewritten");
        (await StoredBarsAsync("EXPA")).ShouldBe(100);

        await FetchAsync("FAKEX:EXPB", 100);
        await FetchAsync("FAKEX:EXPC", 100);
        Directory.GetFiles(_datasets).Select(Path.GetFileName).Order().ToArray().ShouldBe(new[] { "FAKEX_EXPB_1D.csv", "FAKEX_EXPC_1D.csv" }, "MaxFiles=2 keeps the newest two");

        var stats = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/cache/stats");
        stats.GetProperty("database_series").GetInt64().ShouldBe(2, "DatabaseMaxSeries=2 keeps the two most recently fetched");
        (await StoredBarsAsync("EXPA")).ShouldBe(0, "the oldest series' bars went with it");
        (await StoredBarsAsync("EXPC")).ShouldBe(100);
    }

    [Fact]
    public async Task Should_answer_429_with_retry_after_beyond_the_per_key_rate_and_count_each_key_apart()
    {
        await using var ingress = await _environment.StartIngressAsync(new Dictionary<string, string>
        {
            ["MarketData:RateLimit:PermitsPerMinute"] = "3",
            ["Api:Keys:1"] = SecondKey,
        });
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await ingress.Http.GetAsync("/api/v1/cache/stats");
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var limited = await ingress.Http.GetAsync("/api/tv/ohlc?symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=10"))
        {
            limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            limited.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, 60);
            var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("status").GetInt32().ShouldBe(429);
            problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("PermitsPerMinute");
        }

        using (var second = new HttpClient { BaseAddress = ingress.BaseAddress })
        {
            second.DefaultRequestHeaders.Add("X-Api-Key", SecondKey);
            (await second.GetAsync("/api/v1/cache/stats")).StatusCode.ShouldBe(HttpStatusCode.OK, "another key has its own budget");
        }

        (await ingress.Http.GetAsync("/api/v1/alerts?limit=1")).StatusCode.ShouldBe(HttpStatusCode.OK, "only the market-data routes are limited");
    }
}
