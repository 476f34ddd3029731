using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData.Providers;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// <c>USE_MOCK_DATA=true</c>: with TradingView pointed at a closed port, the product still serves candles,
/// ticks the realtime WebSocket, and the paper broker fills a resting stop on a market move with no alert.
/// Real ingress, worker, RabbitMQ and PostgreSQL.
/// </summary>
public sealed class Running_offline_with_mock_data : IAsyncLifetime
{
    private const double Amplitude = 0.03;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _environment = new AlgoSignalFixture(workers: 1, new Dictionary<string, string>
        {
            ["USE_MOCK_DATA"] = "true",
            // Nothing may reach TradingView: its address is a port nobody listens on.
            ["MarketData:TradingView:WebSocketUrl"] = "ws://127.0.0.1:9/socket.io/websocket",
            ["MarketData:Mock:TickMilliseconds"] = "200",
            ["MarketData:Cache:ExportDatasets"] = "false",
            ["Brokers:Paper:FollowMarket"] = "true",
            ["Brokers:Paper:MarketRefreshSeconds"] = "1",
            ["Brokers:Paper:EquityIntervalSeconds"] = "1",
        });
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    private static Timeframe Tf(string code) => Timeframe.TryParse(code, out var t) ? t : throw new ArgumentException(code);

    [Fact]
    public async Task Should_serve_deterministic_candles_from_the_mock_market()
    {
        using var response = await _environment.Http.GetAsync("/api/tv/ohlc?symbol=BTCUSDT&exchange=BINANCE&timeframe=1m&n_bars=300");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("source").GetString().ShouldBe(ProviderNames.Mock);
        body.GetProperty("count").GetInt32().ShouldBe(300);
        var bars = body.GetProperty("ohlc").EnumerateArray().ToList();
        var times = bars.Select(b => DateTimeOffset.Parse(b.GetProperty("time").GetString()!, CultureInfo.InvariantCulture)).ToList();
        times.Zip(times.Skip(1)).ShouldAllBe(p => p.Second - p.First == TimeSpan.FromMinutes(1));
        bars[^1].GetProperty("forming").GetBoolean().ShouldBeTrue();

        // A closed bar depends on nothing but the symbol and its time: any process computes the same one.
        var closed = bars[^10];
        var expected = MockMarket.BarAt("BINANCE:BTCUSDT", Tf("1"), times[^10], TimeProvider.System.GetUtcNow(), Amplitude);
        closed.GetProperty("close").GetDouble().ShouldBe(expected.Close);
        closed.GetProperty("high").GetDouble().ShouldBe(expected.High);

        using var historical = await _environment.Http.PostAsJsonAsync("/api/v1/data/historical", new { symbol = "BINANCE:BTCUSDT", timeframe = "1", count = 300 });
        var quality = (await historical.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("metadata");
        quality.GetProperty("source").GetString().ShouldBe("memory");
        quality.GetProperty("quality").GetProperty("level").GetString().ShouldBe(QualityReport.Good);

        var interest = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/data/open-interest?symbol=BYBIT:BTCUSDT&interval=1h&limit=24");
        interest.GetProperty("source").GetString().ShouldBe(ProviderNames.Mock);
        interest.GetProperty("points").GetArrayLength().ShouldBe(24);
        var ratio = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/data/put-call-ratio?base=BTC");
        ratio.GetProperty("ratio").GetDouble().ShouldBe(Math.Round(ratio.GetProperty("put_open_interest").GetDouble() / ratio.GetProperty("call_open_interest").GetDouble(), 4));

        var matches = await _environment.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/symbols?q=ethusdt");
        matches.ShouldNotBeNull().Single().GetProperty("exchange").GetString().ShouldBe("MOCK", "symbol search answers offline too");
    }

    [Fact]
    public async Task Should_tick_the_realtime_websocket()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", AlgoSignalFixture.ApiKey);
        await socket.ConnectAsync(new Uri($"ws://{_environment.BaseAddress.Authority}/ws/realtime"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"subscribe","symbols":["NASDAQ:AAPL"],"timeframes":["1"]}"""), WebSocketMessageType.Text, true, CancellationToken.None);

        var updates = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        while (updates.Count < 4)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (document.RootElement.GetProperty("type").GetString() == "realtime_data")
            {
                updates.Add(document.RootElement.Clone());
            }
        }

        updates.ShouldAllBe(u => u.GetProperty("symbol").GetString() == "NASDAQ:AAPL");
        var level = MockMarket.PriceAt("NASDAQ:AAPL", TimeProvider.System.GetUtcNow(), Amplitude);
        updates.ShouldAllBe(u => Math.Abs(u.GetProperty("data").GetProperty("price").GetDouble() - level) < level * 0.01, "the feed is the mock market's price now");
    }

    [Fact]
    public async Task Should_fill_a_resting_paper_stop_on_a_market_move_without_an_alert()
    {
        // A symbol whose mock price rises steadily over the next seconds, so the stop is crossed by the market alone.
        var start = TimeProvider.System.GetUtcNow();
        var symbol = Enumerable.Range(0, 2_000).Select(i => "UP" + i.ToString(CultureInfo.InvariantCulture))
            .First(s => Rising($"MOCK:{s}", start, TimeSpan.FromSeconds(15)));
        var full = $"MOCK:{symbol}";
        var stop = Math.Round((decimal)MockMarket.PriceAt(full, start + TimeSpan.FromSeconds(5), Amplitude), 4);
        var (strategy, _) = await _environment.CreateStrategyAsync("mkt");

        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","symbol":"{{full}}","action":"buy","quantity":2,"order_type":"stop","stop_price":{{stop.ToString(CultureInfo.InvariantCulture)}}}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetGuid();
        (await _environment.WaitForFinalAsync(alertId)).GetProperty("status").GetString().ShouldBe("ordered", "the stop rests: no price has crossed it yet");

        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(30));
        story.GetProperty("status").GetString().ShouldBe("filled", "the market crossed the stop; no alert came");

        await using var db = _environment.CreateDbContext();
        var order = await db.Orders.AsNoTracking().Include(o => o.Events).SingleAsync(o => o.AlertId == alertId);
        var filled = order.Events.Single(e => e.Type == "filled");
        filled.FillTrigger.ShouldBe("market");
        filled.TriggerPrice.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(stop);
        filled.TriggeredAt.ShouldNotBeNull().ShouldBeGreaterThan(order.Events.Single(e => e.Type == "accepted").CreatedAt);
        var served = (await _environment.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/orders?account=acct-{strategy}")).ShouldNotBeNull().Single();
        var servedFill = served.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "filled");
        servedFill.GetProperty("fill_trigger").GetString().ShouldBe("market", "the API says which price filled it");
        servedFill.GetProperty("trigger_price").GetDecimal().ShouldBe(filled.TriggerPrice!.Value);

        // The position is marked to the market as it moves, and the account keeps an equity series.
        var account = "acct-" + strategy;
        var firstMark = (await db.Positions.AsNoTracking().SingleAsync(p => p.Account == account)).LastPrice;
        var laterMark = firstMark;
        await Eventually.HoldsAsync(
            async () =>
            {
                laterMark = (await db.Positions.AsNoTracking().SingleAsync(p => p.Account == account)).LastPrice;
                return laterMark != firstMark;
            },
            TimeSpan.FromSeconds(15));
        laterMark.ShouldNotBe(firstMark, "unrealised P&L follows the market");
        await using (var connection = new Npgsql.NpgsqlConnection(_environment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var equity = new Npgsql.NpgsqlCommand("SELECT count(*) FROM paper_equity WHERE account = $1 AND position_value <> 0", connection) { Parameters = { new() { Value = account } } };
            // An equity point is recorded once per interval: wait for the first one that holds the position.
            var recorded = 0L;
            await Eventually.HoldsAsync(async () => (recorded = (long)(await equity.ExecuteScalarAsync())!) > 0, TimeSpan.FromSeconds(15));
            recorded.ShouldBeGreaterThan(0);
        }

        var series = await _environment.Http.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/equity");
        var points = series.GetProperty("points").EnumerateArray().ToList();
        points.ShouldNotBeEmpty();
        points.ShouldContain(p => p.GetProperty("position_value").GetDecimal() != 0m, "the open position is in the equity");
        points.ShouldAllBe(p => p.GetProperty("equity").GetDecimal() == p.GetProperty("cash").GetDecimal() + p.GetProperty("position_value").GetDecimal());
        (await _environment.Http.GetAsync("/api/v1/accounts/no-such-account/equity")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A market order without a price fills at the market's current price.
        var (exitStatus, exitBody) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","symbol":"{{full}}","action":"close_long"}""");
        exitStatus.ShouldBe(202, exitBody.ToString());
        var exitId = exitBody.GetProperty("alert_id").GetGuid();
        (await _environment.WaitForFinalAsync(exitId)).GetProperty("status").GetString().ShouldBe("filled");
        var exit = await db.Orders.AsNoTracking().Include(o => o.Events).SingleAsync(o => o.AlertId == exitId);
        exit.Events.Single(e => e.Type == "filled").FillTrigger.ShouldBe("market");
        exit.AveragePrice.ShouldNotBeNull().ShouldBeGreaterThan(stop * 0.99m);
    }

    [Fact]
    public async Task Should_fill_an_unpriced_entry_at_the_market_and_its_take_profit_on_a_market_move()
    {
        var start = TimeProvider.System.GetUtcNow();
        var full = Enumerable.Range(0, 2_000).Select(i => "MOCK:TP" + i.ToString(CultureInfo.InvariantCulture)).First(s => Rising(s, start, TimeSpan.FromSeconds(15)));
        var takeProfit = Math.Round((decimal)MockMarket.PriceAt(full, start + TimeSpan.FromSeconds(6), Amplitude), 4);
        var stopLoss = Math.Round(takeProfit * 0.9m, 4);
        var (strategy, _) = await _environment.CreateStrategyAsync("brk");

        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","symbol":"{{full}}","action":"buy","quantity":1,"take_profit":{{takeProfit.ToString(CultureInfo.InvariantCulture)}},"stop_loss":{{stopLoss.ToString(CultureInfo.InvariantCulture)}}}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetGuid();
        (await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(20))).GetProperty("status").GetString().ShouldBe("filled", "no price came with it: the market's price filled it");

        await using var db = _environment.CreateDbContext();
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(20);
        List<AlgoSignal.Persistence.Entities.OrderEntity> orders;
        do
        {
            await Task.Delay(200);
            orders = await db.Orders.AsNoTracking().Include(o => o.Events).Where(o => o.AlertId == alertId).ToListAsync();
        }
        while (orders.Single(o => o.Role == "take_profit").Status != "filled" && TimeProvider.System.GetUtcNow() < deadline);

        var entry = orders.Single(o => o.Role == "main");
        entry.Events.Single(e => e.Type == "filled").FillTrigger.ShouldBe("market");
        entry.AveragePrice.ShouldNotBeNull().ShouldBeLessThan(takeProfit);
        var profit = orders.Single(o => o.Role == "take_profit");
        profit.Status.ShouldBe("filled", "the market rose through the take-profit; no alert came");
        profit.Events.Single(e => e.Type == "filled").FillTrigger.ShouldBe("market");
        profit.AveragePrice.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(takeProfit);
        orders.Single(o => o.Role == "stop_loss").Status.ShouldBe("cancelled", "one cancels the other");
        (await db.Positions.AsNoTracking().SingleAsync(p => p.Account == "acct-" + strategy)).Quantity.ShouldBe(0m);
    }

    private static bool Rising(string symbol, DateTimeOffset from, TimeSpan span)
    {
        var previous = MockMarket.PriceAt(symbol, from, Amplitude);
        for (var at = TimeSpan.FromMilliseconds(250); at <= span; at += TimeSpan.FromMilliseconds(250))
        {
            var price = MockMarket.PriceAt(symbol, from + at, Amplitude);
            if (price <= previous)
            {
                return false;
            }

            previous = price;
        }

        return MockMarket.PriceAt(symbol, from + span, Amplitude) - MockMarket.PriceAt(symbol, from, Amplitude) > 0.01;
    }
}
