using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>Open interest, the put/call ratio and BYBIT: candles over the real API, the source being the fake Bybit public market data.</summary>
public sealed class Serving_open_interest_and_put_call_ratio : IAsyncLifetime
{
    private FakeBybitMarket _bybit = null!;
    private FakeTradingView _tradingView = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _bybit = await FakeBybitMarket.StartAsync();
        _tradingView = await FakeTradingView.StartAsync();
        var settings = _bybit.Settings();
        foreach (var (key, value) in _tradingView.Settings())
        {
            settings[key] = value;
        }

        settings["MarketData:Cache:ExportDatasets"] = "false";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _tradingView.DisposeAsync();
        await _bybit.DisposeAsync();
    }

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected)
    {
        using var response = await _environment.Http.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(expected, body.ToString());
        return body;
    }

    [Fact]
    public async Task Should_serve_open_interest_oldest_first_paging_past_one_request()
    {
        var body = await GetAsync("/api/v1/data/open-interest?symbol=BYBIT:BTCUSDT&interval=1h&limit=300", HttpStatusCode.OK);
        body.GetProperty("symbol").GetString().ShouldBe("BYBIT:BTCUSDT");
        body.GetProperty("interval").GetString().ShouldBe("1h");
        var points = body.GetProperty("points").EnumerateArray().ToList();
        points.Count.ShouldBe(300);
        var times = points.Select(p => DateTimeOffset.Parse(p.GetProperty("time").GetString()!, CultureInfo.InvariantCulture)).ToList();
        times.Zip(times.Skip(1)).ShouldAllBe(p => p.Second - p.First == TimeSpan.FromHours(1), "oldest first, no hole between the pages");
        points.ShouldAllBe(p => p.GetProperty("open_interest").GetDouble() >= 50_000);
        _bybit.Requests.Count(r => r.StartsWith("/v5/market/open-interest", StringComparison.Ordinal)).ShouldBe(2, "200 a page at most");
    }

    [Fact]
    public async Task Should_refuse_what_the_source_cannot_answer_with_the_reason()
    {
        (await GetAsync("/api/v1/data/open-interest?symbol=BTCUSDT&interval=1h", HttpStatusCode.BadRequest)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("EXCHANGE:SYMBOL");
        (await GetAsync("/api/v1/data/open-interest?symbol=BYBIT:BTCUSDT&interval=1m", HttpStatusCode.BadRequest)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("1h");
        (await GetAsync("/api/v1/data/open-interest?symbol=BINANCE:BTCUSDT&interval=1h", HttpStatusCode.BadRequest)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("BYBIT:");
        (await GetAsync("/api/v1/data/open-interest?symbol=BYBIT:NOSUCHUSDT&interval=1h", HttpStatusCode.BadGateway)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("Not supported symbols");
        (await GetAsync("/api/v1/data/open-interest?symbol=BYBIT:BTCUSDT&limit=5000", HttpStatusCode.BadRequest)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("limit");
    }

    [Fact]
    public async Task Should_compute_the_put_call_ratio_from_option_open_interest()
    {
        var body = await GetAsync("/api/v1/data/put-call-ratio?base=BTC", HttpStatusCode.OK);
        body.GetProperty("base").GetString().ShouldBe("BTC");
        body.GetProperty("put_open_interest").GetDouble().ShouldBe(6);
        body.GetProperty("call_open_interest").GetDouble().ShouldBe(12);
        body.GetProperty("ratio").GetDouble().ShouldBe(0.5);
        body.GetProperty("options").GetInt32().ShouldBe(6);
        body.GetProperty("source").GetString().ShouldBe("bybit");

        (await GetAsync("/api/v1/data/put-call-ratio?base=NOPE", HttpStatusCode.BadGateway)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("NOPE");
        await GetAsync("/api/v1/data/put-call-ratio", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_stream_bybit_symbols_to_the_realtime_websocket_from_bybits_feed()
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", AlgoSignalFixture.ApiKey);
        await socket.ConnectAsync(new Uri($"ws://{_environment.BaseAddress.Authority}/ws/realtime"), CancellationToken.None);
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes("""{"type":"subscribe","symbols":["BYBIT:ETHUSDT"],"timeframes":["5"]}"""), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

        var prices = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        while (prices.Count < 3)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (document.RootElement.GetProperty("type").GetString() == "realtime_data")
            {
                prices.Add(document.RootElement.GetProperty("data").GetProperty("price").GetDouble());
            }
        }

        _bybit.Subscriptions.ShouldContain("kline.5.ETHUSDT");
        prices.ShouldAllBe(p => p > 100 && p < 200, "the fake's kline closes");
        _tradingView.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task Should_serve_bybit_candles_for_bybit_symbols_and_tradingview_for_the_rest()
    {
        var bybit = await GetAsync("/api/tv/ohlc?symbol=BYBIT:ETHUSDT&timeframe=5m&n_bars=1500", HttpStatusCode.OK);
        bybit.GetProperty("source").GetString().ShouldBe("bybit");
        bybit.GetProperty("count").GetInt32().ShouldBe(1500);
        _tradingView.Connections.ShouldBe(0);

        (await GetAsync("/api/tv/ohlc?symbol=BINANCE:ETHUSDT&timeframe=5m&n_bars=100", HttpStatusCode.OK)).GetProperty("source").GetString().ShouldBe("tradingview");
        (await GetAsync("/api/tv/ohlc?symbol=BYBIT:NOSUCHUSDT&timeframe=5m&n_bars=10", HttpStatusCode.BadGateway)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("Not supported symbols");
    }
}
