using AlgoSignal.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// An in-process TradingView: the chart WebSocket protocol (framing, heartbeats, the request sequence,
/// series in several updates, paging, every error message) and the sign-in and
/// symbol-search HTTP endpoints. Symbols of the exchange FAKE choose a behaviour:
/// UNKNOWN (symbol_error), SERIESERR, CRITICAL, PROTOERR, STALL (never answers), DROP (drops the first
/// connection mid-series), NOVOL (no volume), AUTH (needs the signed-in token), DUPES (sends the bar at each
/// update's edge twice), GAPPY (ten bars missing mid-history), BROKEN (bad high/low, newest missing),
/// FLAKY (like BROKEN except on every third series request);
/// anything else is served.
/// <see cref="Unavailable"/> takes the whole service down and back up.
/// </summary>
public sealed partial class FakeTradingView : IAsyncDisposable
{
    public const string Password = "right-password";
    public const string AuthToken = "jwt-fake-auth-token";
    public const string SessionCookie = "fake-session-cookie";
    public const int History = 12_000;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _connectionsBySymbol = new();

    private FakeTradingView(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public string WebSocketUrl => $"ws://{BaseAddress.Authority}/socket.io/websocket";

    public ConcurrentQueue<string> TokensSeen { get; } = new();

    public ConcurrentQueue<(string Symbol, string Method, int Bars)> SeriesRequests { get; } = new();

    public int ConnectionsFor(string symbol) => _connectionsBySymbol.TryGetValue(symbol, out var n) ? n : 0;

    public int Connections;
    public int ActiveStreams;
    public int Refused;
    public int HeartbeatEchoes;
    public int SignIns;

    public static async Task<FakeTradingView> StartAsync()
    {
        var builder = LocalServer.CreateBuilder();
        var app = builder.Build();
        var fake = new FakeTradingView(app);
        app.UseWebSockets();
        app.Map("/socket.io/websocket", fake.ServeSocketAsync);
        app.MapPost("/accounts/signin/", fake.SignIn);
        app.MapGet("/session-page", (HttpContext http) =>
            http.Request.Cookies["sessionid"] == SessionCookie ? Results.Text($"<script>var user = {{\"auth_token\":\"{AuthToken}\"}};</script>", "text/html") : Results.Text("<html>signed out</html>", "text/html"));
        app.MapGet("/symbol_search/v3/", (string? text) => Results.Json(new
        {
            symbols_remaining = 0,
            symbols = new[]
            {
                new { symbol = "<em>BTC</em>USDT", description = "Bitcoin / TetherUS", type = "spot", exchange = "BINANCE", currency_code = "USDT" },
                new { symbol = "<em>BTC</em>USD", description = "Bitcoin / U.S. Dollar", type = "spot", exchange = "COINBASE", currency_code = "USD" },
            }.Where(s => text is null || s.symbol.Replace("<em>", "", StringComparison.Ordinal).Replace("</em>", "", StringComparison.Ordinal).Contains(text, StringComparison.OrdinalIgnoreCase)),
        }));
        await app.StartAsync();
        fake.BaseAddress = LocalServer.AddressOf(app);
        return fake;
    }

    /// <summary>While true, live streams are cut without a close handshake and new connections get 503: TradingView is down.</summary>
    public bool Unavailable
    {
        get => Volatile.Read(ref _unavailable);
        set => Volatile.Write(ref _unavailable, value);
    }

    private bool _unavailable;

    /// <summary>The settings that point AlgoSignal at this fake.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["MarketData:TradingView:WebSocketUrl"] = WebSocketUrl,
        ["MarketData:TradingView:SignInUrl"] = new Uri(BaseAddress, "/accounts/signin/").ToString(),
        ["MarketData:TradingView:SessionTokenUrl"] = new Uri(BaseAddress, "/session-page").ToString(),
        ["MarketData:TradingView:SymbolSearchUrl"] = new Uri(BaseAddress, "/symbol_search/v3/").ToString(),
        ["MarketData:TradingView:TimeoutSeconds"] = "5",
        ["MarketData:TradingView:MaxAttempts"] = "2",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Deterministic bars: the newest ends at the current interval, oldest first.</summary>
    public static List<(long Time, double O, double H, double L, double C, double V)> Bars(TimeSpan interval, int count, DateTimeOffset now)
    {
        var newest = now.ToUnixTimeSeconds() / (long)interval.TotalSeconds * (long)interval.TotalSeconds;
        var bars = new List<(long, double, double, double, double, double)>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            var time = newest - (i * (long)interval.TotalSeconds);
            var close = 100 + (10 * Math.Sin(time / 36_000.0));
            var open = 100 + (10 * Math.Sin((time - interval.TotalSeconds) / 36_000.0));
            bars.Add((time, Math.Round(open, 4), Math.Round(Math.Max(open, close) + 0.5, 4), Math.Round(Math.Min(open, close) - 0.5, 4), Math.Round(close, 4), 1000 + (time % 7)));
        }

        return bars;
    }

    private IResult SignIn(HttpContext http)
    {
        Interlocked.Increment(ref SignIns);
        var form = http.Request.Form;
        return form["username"] == "twofactor"
            ? Results.Json(new { error = "Two-factor authentication required", code = "2FA_required" })
            : form["password"] == Password && form["remember"] == "on" && http.Request.Headers.Referer.Count > 0
                ? Results.Json(new { user = new { username = form["username"].ToString(), auth_token = AuthToken } })
                : Results.Json(new { error = "Invalid username or password", code = "invalid_credentials" });
    }

    private async Task ServeSocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        if (Unavailable)
        {
            Interlocked.Increment(ref Refused);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        Interlocked.Increment(ref Connections);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var conversation = new Conversation(this, socket);
        try
        {
            await conversation.RunAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
