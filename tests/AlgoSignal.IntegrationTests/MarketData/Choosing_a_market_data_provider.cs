using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData.Providers;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// Which provider serves a symbol (<c>MarketData:Provider</c>, <c>MarketData:ProviderByExchange</c>), and
/// TradingView switched off (<c>MarketData:TradingView:Enabled=false</c>): a clear 503 naming the setting,
/// while other providers keep serving. Real ingress and worker against the fake TradingView.
/// </summary>
public sealed class Choosing_a_market_data_provider : IAsyncLifetime
{
    private FakeTradingView _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        var settings = _fake.Settings();
        settings["MarketData:TradingView:Enabled"] = "false";
        settings["MarketData:ProviderByExchange:NASDAQ"] = "mock";
        settings["MarketData:Cache:ExportDatasets"] = "false";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_answer_503_naming_the_setting_when_tradingview_is_switched_off()
    {
        using var ohlc = await _environment.Http.GetAsync("/api/tv/ohlc?symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=10");
        var problem = await ohlc.Content.ReadFromJsonAsync<JsonElement>();
        ohlc.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, problem.ToString());
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("MarketData:TradingView:Enabled");

        using var historical = await _environment.Http.PostAsJsonAsync("/api/v1/data/historical", new { symbol = "BINANCE:ETHUSDT", timeframe = "15", count = 10 });
        historical.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await _environment.Http.GetAsync("/api/v1/symbols?q=BTC")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        _fake.Connections.ShouldBe(0, "nothing was asked of TradingView");
    }

    [Fact]
    public async Task Should_serve_an_exchange_mapped_to_another_provider()
    {
        foreach (var query in new[] { "symbol=AAPL&exchange=NASDAQ", "symbol=MOCK:ANYTHING" })
        {
            using var response = await _environment.Http.GetAsync($"/api/tv/ohlc?{query}&timeframe=1h&n_bars=50");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
            body.GetProperty("source").GetString().ShouldBe(ProviderNames.Mock);
            body.GetProperty("count").GetInt32().ShouldBe(50);
        }

        _fake.Connections.ShouldBe(0);
    }
}
