using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData;
using Npgsql;
using RabbitMQ.Client;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>The market-data API over real HTTP, RabbitMQ (the fetch queue) and PostgreSQL, against the fake TradingView.</summary>
public sealed class Serving_market_data : IAsyncLifetime
{
    private readonly string _datasets = Path.Combine(Path.GetTempPath(), "algosignal-datasets-" + Guid.NewGuid().ToString("N")[..8]);
    private FakeTradingView _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        var settings = _fake.Settings();
        settings["MarketData:Cache:MemoryEntries"] = "2";
        settings["MarketData:Cache:DatasetsPath"] = _datasets;
        settings["MarketData:Quality:MaxConsecutiveFailures"] = "1";
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

    private async Task<JsonElement> OhlcAsync(HttpClient http, string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.GetAsync("/api/tv/ohlc?" + query);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(expected, body.ToString());
        return body;
    }

    [Fact]
    public async Task Should_fetch_then_answer_from_memory_then_from_postgres_after_a_restart()
    {
        var first = await OhlcAsync(_environment.Http, "symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=500");
        first.GetProperty("source").GetString().ShouldBe("tradingview");
        first.GetProperty("count").GetInt32().ShouldBe(500);
        first.GetProperty("timeframe").GetString().ShouldBe("60");
        var bars = first.GetProperty("ohlc").EnumerateArray().ToList();
        bars[0].GetProperty("time").GetString().ShouldEndWith("Z");
        bars[^1].GetProperty("forming").GetBoolean().ShouldBeTrue();

        (await OhlcAsync(_environment.Http, "symbol=BINANCE:BTCUSDT&timeframe=60&n_bars=400")).GetProperty("source").GetString().ShouldBe("memory");

        // A new ingress starts with an empty memory: PostgreSQL answers, TradingView is not asked again.
        var requestsBefore = _fake.SeriesRequests.Count;
        await using (var restarted = await _environment.StartIngressAsync())
        {
            var fromDatabase = await OhlcAsync(restarted.Http, "symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=500");
            fromDatabase.GetProperty("source").GetString().ShouldBe("database");
            fromDatabase.GetProperty("ohlc").EnumerateArray().Select(b => b.GetProperty("close").GetDouble()).ShouldBe(bars.Select(b => b.GetProperty("close").GetDouble()));
        }

        _fake.SeriesRequests.Count.ShouldBe(requestsBefore);

        var stats = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/cache/stats");
        stats.GetProperty("hits").GetProperty("memory").GetInt64().ShouldBe(1);
        stats.GetProperty("misses").GetInt64().ShouldBe(1);
        stats.GetProperty("database_series").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Should_fetch_only_the_missing_tail_of_a_stale_series()
    {
        (await OhlcAsync(_environment.Http, "symbol=ETHUSDT&exchange=BINANCE&timeframe=1m&n_bars=1000")).GetProperty("source").GetString().ShouldBe("tradingview");

        // Age the stored series: it was fetched five minutes ago and its newest bars are gone.
        await using (var connection = new NpgsqlConnection(_environment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand("""
                UPDATE bar_series SET fetched_at = fetched_at - interval '5 minutes' WHERE symbol = 'ETHUSDT';
                DELETE FROM bars WHERE symbol = 'ETHUSDT' AND time > now() - interval '5 minutes';
                """, connection);
            await age.ExecuteNonQueryAsync();
        }

        await using var restarted = await _environment.StartIngressAsync();
        var refreshed = await OhlcAsync(restarted.Http, "symbol=ETHUSDT&exchange=BINANCE&timeframe=1m&n_bars=1000", HttpStatusCode.OK);
        refreshed.GetProperty("source").GetString().ShouldBe("tradingview");
        refreshed.GetProperty("count").GetInt32().ShouldBe(1000);
        var times = refreshed.GetProperty("ohlc").EnumerateArray().Select(b => DateTimeOffset.Parse(b.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        times.Zip(times.Skip(1)).ShouldAllBe(p => p.Second - p.First == TimeSpan.FromMinutes(1), "the merged series has no hole");
        var last = _fake.SeriesRequests.Last(r => r.Symbol == "BINANCE:ETHUSDT");
        last.Bars.ShouldBeLessThanOrEqualTo(20, "only the tail is asked for");
    }

    [Fact]
    public async Task Should_evict_the_least_recently_used_series_from_memory_and_clear_both_layers()
    {
        await OhlcAsync(_environment.Http, "symbol=AAA&exchange=FAKEX&timeframe=1D&n_bars=100");
        await OhlcAsync(_environment.Http, "symbol=BBB&exchange=FAKEX&timeframe=1D&n_bars=100");
        await OhlcAsync(_environment.Http, "symbol=CCC&exchange=FAKEX&timeframe=1D&n_bars=100");
        (await OhlcAsync(_environment.Http, "symbol=CCC&exchange=FAKEX&timeframe=1D&n_bars=100")).GetProperty("source").GetString().ShouldBe("memory");
        (await OhlcAsync(_environment.Http, "symbol=AAA&exchange=FAKEX&timeframe=1D&n_bars=100")).GetProperty("source").GetString().ShouldBe("database", "two entries fit; AAA was the oldest");

        (await _environment.Http.DeleteAsync("/api/v1/cache/clear")).EnsureSuccessStatusCode();
        (await OhlcAsync(_environment.Http, "symbol=CCC&exchange=FAKEX&timeframe=1D&n_bars=100")).GetProperty("source").GetString().ShouldBe("tradingview");
    }

    [Fact]
    public async Task Should_clear_the_memory_of_every_instance()
    {
        await using var other = await _environment.StartIngressAsync();
        await OhlcAsync(_environment.Http, "symbol=DDD&exchange=FAKEX&timeframe=1D&n_bars=50");
        (await OhlcAsync(other.Http, "symbol=DDD&exchange=FAKEX&timeframe=1D&n_bars=50")).GetProperty("source").GetString().ShouldBe("database");
        (await OhlcAsync(other.Http, "symbol=DDD&exchange=FAKEX&timeframe=1D&n_bars=50")).GetProperty("source").GetString().ShouldBe("memory", "the other instance holds it in memory now");

        (await _environment.Http.DeleteAsync("/api/v1/cache/clear")).EnsureSuccessStatusCode();

        // The announcement reaches the other instance through PostgreSQL: give it a moment.
        string? source = null;
        for (var attempt = 0; attempt < 30 && source != "tradingview"; attempt++)
        {
            await Task.Delay(100);
            source = (await OhlcAsync(other.Http, "symbol=DDD&exchange=FAKEX&timeframe=1D&n_bars=50")).GetProperty("source").GetString();
        }

        source.ShouldBe("tradingview", "the other instance's memory was cleared too, and both layers are empty");
    }

    [Fact]
    public async Task Should_answer_400_listing_valid_timeframes_and_502_with_the_reason_when_tradingview_fails()
    {
        var invalid = await OhlcAsync(_environment.Http, "symbol=BTCUSDT&exchange=BINANCE&timeframe=7h&n_bars=10", HttpStatusCode.BadRequest);
        invalid.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("1h");
        (await OhlcAsync(_environment.Http, "timeframe=1h", HttpStatusCode.BadRequest)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("symbol");

        var unknown = await OhlcAsync(_environment.Http, "symbol=UNKNOWN&exchange=FAKE&timeframe=1h&n_bars=10", HttpStatusCode.BadGateway);
        unknown.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("FAKE:UNKNOWN");
    }

    [Fact]
    public async Task Should_serve_historical_data_with_its_quality_and_write_the_dataset()
    {
        using var response = await _environment.Http.PostAsJsonAsync("/api/v1/data/historical",
            new { symbol = "BINANCE:SOLUSDT", timeframe = "15", count = 1000, quality_check = true, use_cache = true });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("status").GetString().ShouldBe("success");
        body.GetProperty("data").GetProperty("klines").GetArrayLength().ShouldBe(1000);
        body.GetProperty("data").GetProperty("klines")[0].GetProperty("timestamp").GetInt64().ShouldBeGreaterThan(1_700_000_000);
        var metadata = body.GetProperty("metadata");
        metadata.GetProperty("source").GetString().ShouldBe("tradingview");
        metadata.GetProperty("quality_score").GetDouble().ShouldBeGreaterThan(0.9);
        foreach (var dimension in new[] { "completeness", "accuracy", "consistency", "timeliness", "validity", "uniqueness" })
        {
            metadata.GetProperty("quality").GetProperty(dimension).GetDouble().ShouldBeInRange(0, 1);
        }

        var csv = Path.Combine(_datasets, "BINANCE_SOLUSDT_15.csv");
        File.Exists(csv).ShouldBeTrue();
        var loaded = await DatasetExporter.ReadAsync(csv, CancellationToken.None);
        loaded.Count.ShouldBe(1000);
        (await File.ReadAllLinesAsync(csv))[0].ShouldBe("time,open,high,low,close,volume");
    }

    [Fact]
    public async Task Should_search_symbols()
    {
        var matches = await _environment.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/symbols?q=BTC");
        matches.ShouldNotBeNull().Select(m => m.GetProperty("symbol").GetString()).ShouldBe(["BTCUSDT", "BTCUSD"]);
        (await _environment.Http.GetAsync("/api/v1/symbols")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_report_degraded_quality_with_findings_and_an_event()
    {
        var factory = _environment.RabbitConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.ExchangeDeclareAsync("AlgoSignal.Contracts:DataQualityDegraded", RabbitMQ.Client.ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(queue, "AlgoSignal.Contracts:DataQualityDegraded", "");

        using var response = await _environment.Http.PostAsJsonAsync("/api/v1/data/historical", new { symbol = "FAKE:BROKEN", timeframe = "1h", count = 200 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        var quality = body.GetProperty("metadata").GetProperty("quality");
        quality.GetProperty("accuracy").GetDouble().ShouldBe(0.5);
        quality.GetProperty("timeliness").GetDouble().ShouldBe(0);
        body.GetProperty("metadata").GetProperty("quality_score").GetDouble().ShouldBe(0.725, "0.25 + 0.25 × 0.5 + 0.20 + 0.15 × 0 + 0.10 + 0.05");
        quality.GetProperty("level").GetString().ShouldBe("warning");
        quality.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ShouldContain("ohlc_violation");

        RabbitMQ.Client.BasicGetResult? delivery = null;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (delivery is null && TimeProvider.System.GetUtcNow() < deadline)
        {
            delivery = await channel.BasicGetAsync(queue, autoAck: true);
            await Task.Delay(50);
        }

        delivery.ShouldNotBeNull("DataQualityDegraded was published");
        using var envelope = JsonDocument.Parse(delivery.Body.ToArray());
        envelope.RootElement.GetProperty("message").GetProperty("symbol").GetString().ShouldBe("BROKEN");
        envelope.RootElement.GetProperty("message").GetProperty("level").GetString().ShouldBe("warning");
    }

    [Fact]
    public async Task Should_answer_the_seed_health_form()
    {
        var health = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/health");
        health.GetProperty("status").GetString().ShouldBe("healthy");
        var components = health.GetProperty("components").EnumerateObject().Select(p => p.Name).ToList();
        components.ShouldContain("postgres");
        components.ShouldContain("cache");
    }
}
