using System.Diagnostics;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>The TradingView client over a real WebSocket against the in-process fake.</summary>
public sealed class Talking_to_tradingview : IAsyncLifetime
{
    private FakeTradingView _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeTradingView.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private TradingViewClient Client(Action<TradingViewOptions>? configure = null)
    {
        var options = new TradingViewOptions
        {
            WebSocketUrl = _fake.WebSocketUrl,
            SignInUrl = new Uri(_fake.BaseAddress, "/accounts/signin/").ToString(),
            SessionTokenUrl = new Uri(_fake.BaseAddress, "/session-page").ToString(),
            TimeoutSeconds = 5,
            MaxAttempts = 2,
        };
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        return new TradingViewClient(new TradingViewAuth(new HttpClient(), wrapped, TimeProvider.System), wrapped, TimeProvider.System, NullLogger<TradingViewClient>.Instance);
    }

    private static Timeframe Tf(string code) => Timeframe.TryParse(code, out var t) ? t : throw new ArgumentException(code);

    [Fact]
    public async Task Should_assemble_a_series_sent_in_several_updates_without_duplicates_and_echo_heartbeats()
    {
        var series = await Client().FetchAsync(new TvRequest("BINANCE", "BTCUSDT", Tf("1h"), 300), CancellationToken.None);

        series.Bars.Count.ShouldBe(300);
        series.Bars.Select(b => b.Time).ShouldBeInOrder();
        series.Bars.Select(b => b.Time).Distinct().Count().ShouldBe(300);
        series.Bars.ShouldAllBe(b => b.Time.Offset == TimeSpan.Zero);
        series.Bars.Zip(series.Bars.Skip(1)).ShouldAllBe(p => p.Second.Time - p.First.Time == TimeSpan.FromHours(1));
        series.Bars[^1].IsForming.ShouldBeTrue("the newest bar's hour is still running");
        series.Bars.SkipLast(1).ShouldAllBe(b => !b.IsForming);
        series.HasVolume.ShouldBeTrue();
        series.Session.ShouldBe(TradingSession.AlwaysOpen);
        _fake.HeartbeatEchoes.ShouldBeGreaterThan(0);
        _fake.TokensSeen.ShouldContain(TradingViewAuth.Anonymous);
        _fake.SeriesRequests.ShouldContain(("BINANCE:BTCUSDT", "create_series", 300));
    }

    [Fact]
    public async Task Should_keep_every_point_as_received_beside_the_merged_bars()
    {
        var series = await Client().FetchAsync(new TvRequest("FAKE", "DUPES", Tf("1h"), 300), CancellationToken.None);

        series.Bars.Count.ShouldBe(300);
        series.Bars.Select(b => b.Time).Distinct().Count().ShouldBe(300, "the merged series holds each bar once");
        series.Received.Count.ShouldBe(302, "two chunk edges were sent twice");
        series.Received.GroupBy(b => b.Time).Count(g => g.Count() > 1).ShouldBe(2);
        QualityAssessor.Assess(series.Received, Tf("1h"), TimeProvider.System.GetUtcNow(), new QualityOptions()).Uniqueness.ShouldBeLessThan(1.0);
        QualityAssessor.Assess(series.Bars, Tf("1h"), TimeProvider.System.GetUtcNow(), new QualityOptions()).Uniqueness.ShouldBe(1.0);
    }

    [Fact]
    public async Task Should_page_past_one_series_with_request_more_data()
    {
        var series = await Client().FetchAsync(new TvRequest("BINANCE", "ETHUSDT", Tf("15m"), 11_000), CancellationToken.None);
        series.Bars.Count.ShouldBe(11_000);
        series.Bars.Select(b => b.Time).Distinct().Count().ShouldBe(11_000);
        _fake.SeriesRequests.Where(r => r.Symbol == "BINANCE:ETHUSDT").Select(r => (r.Method, r.Bars))
            .ShouldBe([("create_series", 5_000), ("request_more_data", 5_000), ("request_more_data", 1_000)]);
    }

    [Fact]
    public async Task Should_stop_at_the_start_of_history_when_asked_for_more_than_exists()
    {
        var series = await Client(o => o.PageSize = 10_000).FetchAsync(new TvRequest("BINANCE", "SOLUSDT", Tf("1m"), 20_000), CancellationToken.None);
        series.Bars.Count.ShouldBe(FakeTradingView.History);
    }

    [Theory]
    [InlineData("UNKNOWN", "symbol_error")]
    [InlineData("SERIESERR", "series_error")]
    [InlineData("CRITICAL", "critical_error")]
    [InlineData("PROTOERR", "protocol_error")]
    public async Task Should_end_at_once_with_the_servers_error(string symbol, string kind)
    {
        var clock = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<TvException>(() => Client(o => o.TimeoutSeconds = 30).FetchAsync(new TvRequest("FAKE", symbol, Tf("1h"), 100), CancellationToken.None));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "an error message ends the request without waiting for the timeout");
        error.Kind.ShouldBe(kind);
        error.Transient.ShouldBeFalse();
        _fake.Connections.ShouldBe(1, "errors the server names are not retried");
        if (kind == "symbol_error")
        {
            error.Message.ShouldContain("FAKE:UNKNOWN");
        }
    }

    [Fact]
    public async Task Should_give_up_on_a_stalled_server_after_bounded_retries()
    {
        var clock = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<TvException>(() => Client(o => { o.TimeoutSeconds = 1; o.MaxAttempts = 2; }).FetchAsync(new TvRequest("FAKE", "STALL", Tf("1h"), 100), CancellationToken.None));
        error.Kind.ShouldBe("timeout");
        _fake.Connections.ShouldBe(2);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_retry_when_the_connection_drops_mid_series()
    {
        var series = await Client().FetchAsync(new TvRequest("FAKE", "DROP", Tf("5m"), 600), CancellationToken.None);
        series.Bars.Count.ShouldBe(600);
        _fake.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task Should_report_no_volume_rather_than_zero()
    {
        var series = await Client().FetchAsync(new TvRequest("FAKE", "NOVOL", Tf("1D"), 50), CancellationToken.None);
        series.HasVolume.ShouldBeFalse();
        series.Bars.ShouldAllBe(b => b.Volume == null);
    }

    [Fact]
    public async Task Should_sign_in_and_send_the_users_token()
    {
        var client = Client(o => { o.Username = "trader"; o.Password = FakeTradingView.Password; });
        var series = await client.FetchAsync(new TvRequest("FAKE", "AUTH", Tf("1h"), 10), CancellationToken.None);
        series.Bars.Count.ShouldBe(10);
        _fake.TokensSeen.ShouldContain(FakeTradingView.AuthToken);
    }

    [Fact]
    public async Task Should_use_the_session_cookie_for_two_factor_accounts()
    {
        var series = await Client(o => o.SessionId = FakeTradingView.SessionCookie).FetchAsync(new TvRequest("FAKE", "AUTH", Tf("1h"), 10), CancellationToken.None);
        series.Bars.Count.ShouldBe(10);
    }

    [Theory]
    [InlineData("trader", "wrong", "invalid_credentials")]
    [InlineData("twofactor", "whatever", "2FA_required")]
    public async Task Should_report_a_failed_login_and_never_fall_back_to_anonymous(string user, string password, string code)
    {
        var error = await Should.ThrowAsync<TvException>(() => Client(o => { o.Username = user; o.Password = password; }).FetchAsync(new TvRequest("BINANCE", "BTCUSDT", Tf("1h"), 10), CancellationToken.None));
        error.Kind.ShouldBe("login_failed");
        error.Message.ShouldContain(code);
        _fake.Connections.ShouldBe(0, "no anonymous request was made instead");
    }
}
