using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// The paper broker follows the market of an open position through a TradingView outage (the strict fake, down and
/// then back): it keeps retrying, and its log tells the outage once, its repeats only at debug level, and its end.
/// </summary>
public sealed class Following_the_market_through_an_outage : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _workerLog = new();
    private FakeTradingView _tradingView = null!;
    private AlgoSignalFixture _environment = null!;
    private IHost _worker = null!;

    public async Task InitializeAsync()
    {
        _tradingView = await FakeTradingView.StartAsync();
        _tradingView.Unavailable = true;
        var settings = _tradingView.Settings();
        settings["Brokers:Paper:FollowMarket"] = "true";
        settings["Brokers:Paper:MarketRefreshSeconds"] = "1";
        settings["Serilog:MinimumLevel:Default"] = "Verbose";
        _environment = new AlgoSignalFixture(workers: 0, settings);
        await _environment.InitializeAsync();

        _worker = await LoggedWorker.StartAsync(_environment, _workerLog);
    }

    public async Task DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _environment.DisposeAsync();
        await _tradingView.DisposeAsync();
    }

    [Fact]
    public async Task Should_warn_once_per_outage_and_say_when_the_feed_is_back()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("out");
        var symbol = "OUT" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:{{symbol}}","price":100,"quantity":1}""");
        status.ShouldBe(202, body.ToString());
        (await _environment.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        var feed = $"live feed of BINANCE:{symbol}";
        (await Eventually.HoldsAsync(() => Lines(feed, "failed again").Count >= 3, TimeSpan.FromSeconds(30)))
            .ShouldBeTrue("the open position's feed is retried while TradingView is down");
        _tradingView.Unavailable = false;
        (await Eventually.HoldsAsync(() => Lines(feed, "is back after").Count == 1, TimeSpan.FromSeconds(60)))
            .ShouldBeTrue("the feed is followed again once TradingView is back");

        var warnings = _workerLog.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(feed, StringComparison.Ordinal)).ToList();
        warnings.ShouldHaveSingleItem("one warning for the whole outage, however many attempts failed");
        Lines(feed, "failed again").ShouldAllBe(l => l.StartsWith("Debug", StringComparison.Ordinal));
        Lines(feed, "is back after").ShouldHaveSingleItem().ShouldStartWith("Information");
    }

    private List<string> Lines(string feed, string what) =>
        _workerLog.Lines.Where(l => l.Contains(feed, StringComparison.Ordinal) && l.Contains(what, StringComparison.Ordinal)).ToList();
}
