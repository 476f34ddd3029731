using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// The quality score measures what the source sent (repeats included), findings say what to do, the
/// degraded-quality event comes once per episode, and auto-correction repairs high/low and records it.
/// Real ingress, worker, RabbitMQ and PostgreSQL against the fake TradingView.
/// </summary>
public sealed class Scoring_market_data_as_received : IAsyncLifetime
{
    private readonly List<AlgoSignalFixture> _environments = [];
    private FakeTradingView _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeTradingView.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var environment in _environments)
        {
            await environment.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    private async Task<AlgoSignalFixture> StartAsync(params (string Key, string Value)[] extra)
    {
        var settings = _fake.Settings();
        settings["MarketData:Cache:ExportDatasets"] = "false";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var environment = new AlgoSignalFixture(workers: 1, settings);
        _environments.Add(environment);
        await environment.InitializeAsync();
        return environment;
    }

    private static async Task<JsonElement> HistoricalAsync(AlgoSignalFixture environment, string symbol, int count, bool useCache = true)
    {
        using var response = await environment.Http.PostAsJsonAsync("/api/v1/data/historical", new { symbol, timeframe = "1h", count, quality_check = true, use_cache = useCache });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body;
    }

    [Fact]
    public async Task Should_lower_uniqueness_for_a_repeated_timestamp_and_still_serve_each_bar_once()
    {
        var environment = await StartAsync();

        var body = await HistoricalAsync(environment, "FAKE:DUPES", 300);
        var quality = body.GetProperty("metadata").GetProperty("quality");
        quality.GetProperty("uniqueness").GetDouble().ShouldBe(Math.Round(1 - (2 / 302.0), 4), "two of the 302 points received repeat a timestamp");
        var duplicate = quality.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "duplicate_timestamp");
        duplicate.GetProperty("suggestion").GetString().ShouldNotBeNullOrWhiteSpace();
        var times = body.GetProperty("data").GetProperty("klines").EnumerateArray().Select(k => k.GetProperty("timestamp").GetInt64()).ToList();
        times.Count.ShouldBe(300);
        times.Distinct().Count().ShouldBe(300, "the served series is merged");

        // The same source without repeats keeps uniqueness at 1: the measure tells the two apart.
        (await HistoricalAsync(environment, "BINANCE:BTCUSDT", 300)).GetProperty("metadata").GetProperty("quality").GetProperty("uniqueness").GetDouble().ShouldBe(1.0);
    }

    [Fact]
    public async Task Should_lower_completeness_for_a_gap_and_suggest_what_to_do()
    {
        var environment = await StartAsync();

        var quality = (await HistoricalAsync(environment, "FAKE:GAPPY", 200)).GetProperty("metadata").GetProperty("quality");
        quality.GetProperty("completeness").GetDouble().ShouldBe(Math.Round(200 / 210.0, 4), "ten bars are missing among 200 received");
        var gap = quality.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "gap");
        gap.GetProperty("detail").GetString().ShouldNotBeNull().ShouldStartWith("10 bar(s) missing");
        gap.GetProperty("suggestion").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Should_raise_degraded_quality_once_per_episode()
    {
        var environment = await StartAsync(("MarketData:Quality:MaxConsecutiveFailures", "2"));
        var factory = environment.RabbitConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.ExchangeDeclareAsync("AlgoSignal.Contracts:DataQualityDegraded", ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(queue, "AlgoSignal.Contracts:DataQualityDegraded", "");

        // FLAKY is broken on its 1st, 2nd, 4th and 5th fetch and clean on its 3rd.
        var levels = new List<string>();
        for (var fetch = 1; fetch <= 5; fetch++)
        {
            levels.Add((await HistoricalAsync(environment, "FAKE:FLAKY", 200, useCache: false)).GetProperty("metadata").GetProperty("quality").GetProperty("level").GetString()!);
            if (fetch == 3)
            {
                // Otherwise the next fetches would only bring the tail of the clean series now stored.
                (await environment.Http.DeleteAsync("/api/v1/cache/clear")).EnsureSuccessStatusCode();
            }
        }

        levels.ShouldBe(["warning", "warning", "good", "warning", "warning"]);

        // Events are published before the answer; the broker may still be routing the last one: read until both
        // runs' events arrived (or 10 s passed), then whatever else is queued.
        var events = new List<JsonElement>();
        await Eventually.HoldsAsync(
            async () =>
            {
                while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
                {
                    using var envelope = JsonDocument.Parse(delivery.Body.ToArray());
                    events.Add(envelope.RootElement.GetProperty("message").Clone());
                }

                return events.Count >= 2;
            },
            TimeSpan.FromSeconds(10));

        events.Count.ShouldBe(2, "one event for each run of two degraded fetches, none for the fetches that continue or end a run");
        events.ShouldAllBe(e => e.GetProperty("symbol").GetString() == "FLAKY");
    }

    [Fact]
    public async Task Should_repair_high_and_low_after_scoring_and_record_each_correction()
    {
        var environment = await StartAsync(("MarketData:Quality:AutoCorrect", "true"));

        var body = await HistoricalAsync(environment, "FAKE:BROKEN", 200);
        body.GetProperty("metadata").GetProperty("quality").GetProperty("accuracy").GetDouble().ShouldBe(0.5, "scored as received, before the repair");
        var klines = body.GetProperty("data").GetProperty("klines").EnumerateArray().ToList();
        klines.ShouldAllBe(k => k.GetProperty("high").GetDouble() >= Math.Max(k.GetProperty("open").GetDouble(), k.GetProperty("close").GetDouble())
            && k.GetProperty("low").GetDouble() <= Math.Min(k.GetProperty("open").GetDouble(), k.GetProperty("close").GetDouble()));

        await using var connection = new NpgsqlConnection(environment.ConnectionString);
        await connection.OpenAsync();
        await using (var stored = new NpgsqlCommand("SELECT count(*) FROM bars WHERE symbol = 'BROKEN' AND (high < greatest(open, close) OR low > least(open, close))", connection))
        {
            ((long)(await stored.ExecuteScalarAsync())!).ShouldBe(0, "the stored bars are the repaired ones");
        }

        await using var report = new NpgsqlCommand("SELECT report FROM quality_reports WHERE symbol = 'BROKEN'", connection);
        using var json = JsonDocument.Parse((string)(await report.ExecuteScalarAsync())!);
        var corrections = json.RootElement.GetProperty("corrections").EnumerateArray().ToList();
        corrections.Count.ShouldBeGreaterThanOrEqualTo(100, "every other bar had its high below its low");
        corrections.ShouldAllBe(c => c.GetProperty("field").GetString() == "high" || c.GetProperty("field").GetString() == "low");
        corrections.ShouldContain(c => c.GetProperty("from").GetDouble() != c.GetProperty("to").GetDouble());
    }
}
