using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// What every market-data provider must do, run unchanged against each (TradingView and Bybit against their
/// in-process fakes, the mock market as it is): history oldest first with the forming bar marked, paging
/// past one request, a named and final error for a symbol the source does not know, and a live feed that
/// ticks until cancelled.
/// </summary>
public abstract class Market_data_provider_contract : IAsyncLifetime
{
    protected IMarketDataProvider Provider { get; private set; } = null!;

    protected abstract string Exchange { get; }

    protected abstract string KnownSymbol { get; }

    /// <summary>A symbol the source does not know (exchange, symbol); null when every symbol is served.</summary>
    protected abstract (string Exchange, string Symbol)? UnknownSymbol { get; }

    /// <summary>More bars than one request of the source brings.</summary>
    protected abstract int PagingBars { get; }

    public async Task InitializeAsync() => Provider = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IMarketDataProvider> CreateAsync();

    protected static Timeframe Tf(string code) => Timeframe.TryParse(code, out var t) ? t : throw new ArgumentException(code);

    [Fact]
    public async Task Should_fetch_the_newest_bars_oldest_first_with_the_forming_one_marked()
    {
        var series = await Provider.FetchAsync(new TvRequest(Exchange, KnownSymbol, Tf("1h"), 200), CancellationToken.None);

        series.Bars.Count.ShouldBe(200);
        series.Bars.Zip(series.Bars.Skip(1)).ShouldAllBe(p => p.Second.Time - p.First.Time == TimeSpan.FromHours(1));
        series.Bars.ShouldAllBe(b => b.Time.Offset == TimeSpan.Zero && b.High >= b.Low);
        series.Bars[^1].IsForming.ShouldBeTrue("the newest bar's hour is still running");
        series.Bars.SkipLast(1).ShouldAllBe(b => !b.IsForming);
        (TimeProvider.System.GetUtcNow() - series.Bars[^1].Time).ShouldBeLessThan(TimeSpan.FromHours(1));
        series.Received.Count.ShouldBeGreaterThanOrEqualTo(series.Bars.Count);
    }

    [Fact]
    public async Task Should_page_past_one_request()
    {
        var series = await Provider.FetchAsync(new TvRequest(Exchange, KnownSymbol, Tf("15m"), PagingBars), CancellationToken.None);

        series.Bars.Count.ShouldBe(PagingBars);
        series.Bars.Select(b => b.Time).Distinct().Count().ShouldBe(PagingBars);
        series.Bars.Zip(series.Bars.Skip(1)).ShouldAllBe(p => p.Second.Time - p.First.Time == TimeSpan.FromMinutes(15), "the pages join without a hole");
    }

    [Fact]
    public async Task Should_fail_at_once_naming_a_symbol_the_source_does_not_know()
    {
        if (UnknownSymbol is not { } unknown)
        {
            // A source that serves every symbol must then serve any name at all.
            (await Provider.FetchAsync(new TvRequest("ANY", "NAME" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), Tf("1h"), 10), CancellationToken.None)).Bars.Count.ShouldBe(10);
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Should.ThrowAsync<TvException>(() => Provider.FetchAsync(new TvRequest(unknown.Exchange, unknown.Symbol, Tf("1h"), 10), CancellationToken.None));
        error.Kind.ShouldBe("symbol_error");
        error.Transient.ShouldBeFalse();
        error.Message.ShouldContain(unknown.Symbol);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4), "the source's refusal ends the request, no timeout");
    }

    [Fact]
    public async Task Should_stream_live_bars_until_cancelled()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var bars = new List<Bar>();
        var streaming = Provider.StreamAsync(new TvRequest(Exchange, KnownSymbol, Tf("1"), 2), bar =>
        {
            lock (bars)
            {
                bars.Add(bar);
                if (bars.Count >= 3)
                {
                    stop.Cancel();
                }
            }

            return Task.CompletedTask;
        }, stop.Token);

        await Should.ThrowAsync<OperationCanceledException>(() => streaming);
        bars.Count.ShouldBeGreaterThanOrEqualTo(3, "the feed ticked before the wait ran out");
        bars.ShouldAllBe(b => TimeProvider.System.GetUtcNow() - b.Time < TimeSpan.FromMinutes(10), "live bars are the current ones");
    }
}

/// <summary>The provider contract against the fake TradingView.</summary>
public sealed class Fetching_from_tradingview : Market_data_provider_contract
{
    private FakeTradingView _fake = null!;

    protected override string Exchange => "BINANCE";

    protected override string KnownSymbol => "BTCUSDT";

    protected override (string Exchange, string Symbol)? UnknownSymbol => ("FAKE", "UNKNOWN");

    protected override int PagingBars => 2_500;

    protected override async Task<IMarketDataProvider> CreateAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new TradingViewOptions { WebSocketUrl = _fake.WebSocketUrl, TimeoutSeconds = 5, MaxAttempts = 2, PageSize = 1_000 });
        var client = new TradingViewClient(new TradingViewAuth(new HttpClient(), options, TimeProvider.System), options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TradingViewClient>.Instance);
        return new TradingViewProvider(client, options);
    }

    public override async Task DisposeAsync() => await _fake.DisposeAsync();
}

/// <summary>The provider contract against the fake Bybit public market data.</summary>
public sealed class Fetching_from_bybit : Market_data_provider_contract
{
    private FakeBybitMarket _fake = null!;
    private readonly HttpClient _http = new();

    protected override string Exchange => "BYBIT";

    protected override string KnownSymbol => "BTCUSDT";

    protected override (string Exchange, string Symbol)? UnknownSymbol => ("BYBIT", "NOSUCHUSDT");

    protected override int PagingBars => 2_200;

    protected override async Task<IMarketDataProvider> CreateAsync()
    {
        _fake = await FakeBybitMarket.StartAsync();
        var settings = _fake.Settings();
        var options = new AlgoSignal.MarketData.Bybit.BybitMarketOptions { BaseUrl = settings["MarketData:Bybit:BaseUrl"], WebSocketUrl = settings["MarketData:Bybit:WebSocketUrl"], TimeoutSeconds = 5 };
        return new AlgoSignal.MarketData.Bybit.BybitMarketProvider(_http, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_ask_at_most_a_thousand_klines_a_request_and_page_back_with_end()
    {
        await Provider.FetchAsync(new TvRequest(Exchange, KnownSymbol, Tf("15m"), PagingBars), CancellationToken.None);
        var klines = _fake.Requests.Where(r => r.StartsWith("/v5/market/kline", StringComparison.Ordinal)).ToList();
        klines.Count.ShouldBe(3);
        klines[0].ShouldNotContain("end=");
        klines.Skip(1).ShouldAllBe(r => r.Contains("end="));
        klines.ShouldAllBe(r => r.Contains("category=linear") && r.Contains("interval=15"));
    }
}

/// <summary>The provider contract against the mock market.</summary>
public sealed class Fetching_from_the_mock_market : Market_data_provider_contract
{
    protected override string Exchange => "MOCK";

    protected override string KnownSymbol => "BTCUSDT";

    protected override (string Exchange, string Symbol)? UnknownSymbol => null;

    protected override int PagingBars => 2_500;

    protected override Task<IMarketDataProvider> CreateAsync() =>
        Task.FromResult<IMarketDataProvider>(new MockProvider(Microsoft.Extensions.Options.Options.Create(new MockDataOptions { TickMilliseconds = 100 }), TimeProvider.System));

    [Fact]
    public async Task Should_replay_a_csv_dataset_re_timed_to_end_now_and_tick_through_its_closes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "algosignal-replay-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
            var lines = new List<string> { "time,open,high,low,close,volume" };
            lines.AddRange(Enumerable.Range(0, 50).Select(i => FormattableString.Invariant($"{start.AddHours(i):yyyy-MM-ddTHH:mm:ssZ},{10 + i},{11 + i},{9 + i},{10.5 + i},{100 + i}")));
            await File.WriteAllLinesAsync(Path.Combine(folder, "REPLAY_ABC_60.csv"), lines);
            var provider = new MockProvider(Microsoft.Extensions.Options.Options.Create(new MockDataOptions { TickMilliseconds = 50, ReplayPath = folder }), TimeProvider.System);

            var series = await provider.FetchAsync(new TvRequest("REPLAY", "ABC", Tf("1h"), 20), CancellationToken.None);
            series.Bars.Count.ShouldBe(20);
            series.Bars.Select(b => b.Close).ShouldBe(Enumerable.Range(30, 20).Select(i => 10.5 + i), "the dataset's newest 20 bars, as they are");
            series.Bars[^1].IsForming.ShouldBeTrue();
            (TimeProvider.System.GetUtcNow() - series.Bars[^1].Time).ShouldBeLessThan(TimeSpan.FromHours(1), "re-timed to end now");
            series.Bars.Zip(series.Bars.Skip(1)).ShouldAllBe(p => p.Second.Time - p.First.Time == TimeSpan.FromHours(1));

            var closes = new List<double>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Should.ThrowAsync<OperationCanceledException>(() => provider.StreamAsync(new TvRequest("REPLAY", "ABC", Tf("1h"), 2), bar =>
            {
                closes.Add(bar.Close);
                if (closes.Count == 3)
                {
                    stop.Cancel();
                }

                return Task.CompletedTask;
            }, stop.Token));
            closes.ShouldBe([10.5, 11.5, 12.5], "the live feed steps through the dataset's closes");

            // A series without a dataset is synthesised as usual.
            (await provider.FetchAsync(new TvRequest("REPLAY", "OTHER", Tf("1h"), 5), CancellationToken.None)).Description.ShouldNotBeNull().ShouldContain("Mock");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
