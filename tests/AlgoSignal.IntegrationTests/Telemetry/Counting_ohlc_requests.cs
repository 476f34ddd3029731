using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.IntegrationTests.MarketData;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>Each OHLC request is counted by the layer that answered it: memory, PostgreSQL or TradingView.</summary>
public sealed class Counting_ohlc_requests : IAsyncLifetime
{
    private FakeTradingView _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, _fake.Settings());
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_count_a_fetch_then_a_memory_hit()
    {
        var before = await MetricsText.ScrapeAsync(_environment.BaseAddress);
        (await _environment.Http.GetAsync("/api/tv/ohlc?symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=50")).EnsureSuccessStatusCode().Dispose();
        (await _environment.Http.GetAsync("/api/tv/ohlc?symbol=BTCUSDT&exchange=BINANCE&timeframe=1h&n_bars=40")).EnsureSuccessStatusCode().Dispose();

        var after = await MetricsText.ScrapeAsync(_environment.BaseAddress);
        MetricsText.Delta(before, after, "algosignal_ohlc_requests_total", ("layer", "tradingview"), ("result", "fetched")).ShouldBe(1, after.Text);
        MetricsText.Delta(before, after, "algosignal_ohlc_requests_total", ("layer", "memory"), ("result", "hit")).ShouldBe(1);
        after.Text.ShouldNotContain("BTCUSDT");
    }
}
