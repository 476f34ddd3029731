using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>
/// An in-process TradeStation v3: OAuth refresh with rotating refresh tokens (a used one is revoked),
/// bearer tokens that can be expired on demand (401), orders with OrderConfirmID duplicate protection,
/// OSO brackets, statuses, cancel, and 429/5xx and slow answers on demand.
/// </summary>
public sealed partial class FakeTradeStation : IAsyncDisposable
{
    public const string ClientId = "ts-client";
    public const string ClientSecret = "ts-secret";
    public const string FirstRefreshToken = "ts-refresh-0";
    public const decimal MarketPrice = 150m;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _validAccess = new();
    private string _refreshToken = FirstRefreshToken;
    private int _failNext;
    private CannedAnswer? _canned;
    private int _failStatus;
    private int _hangNext;
    private int _sequence;

    private FakeTradeStation(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>Every request body as sent (the fake refuses bodies without a Content-Length).</summary>
    public ConcurrentQueue<string> RequestBodies { get; } = new();

    public Uri TokenUrl => new(BaseAddress, "/oauth/token");

    /// <summary>
    /// The settings that point AlgoSignal's TradeStation adapter at this fake's simulator account <paramref name="accountId"/>;
    /// with <paramref name="stream"/> orders are followed over the order stream too (otherwise only polled).
    /// </summary>
    public Dictionary<string, string> Settings(string accountId = "SIM123456", bool stream = false) => new()
    {
        ["Brokers:TradeStation:StreamOrders"] = stream ? "true" : "false",
        ["Brokers:TradeStation:BaseUrl"] = new Uri(BaseAddress, "/v3").ToString(),
        ["Brokers:TradeStation:Environment"] = "simulator",
        ["Brokers:TradeStation:TokenUrl"] = TokenUrl.ToString(),
        ["Brokers:TradeStation:ClientId"] = ClientId,
        ["Brokers:TradeStation:ClientSecret"] = ClientSecret,
        ["Brokers:TradeStation:RefreshToken"] = FirstRefreshToken,
        ["Brokers:TradeStation:AccountId"] = accountId,
    };

    public ConcurrentDictionary<string, TsOrder> Orders { get; } = new();

    public int PlaceRequests;

    /// <summary>When each order-status request arrived (by id or the account's list), to check the request budget.</summary>
    public ConcurrentQueue<DateTimeOffset> StatusRequestTimes { get; } = new();
    public int Refreshes;

    public string CurrentRefreshToken => _refreshToken;

    public static async Task<FakeTradeStation> StartAsync()
    {
        var builder = LocalServer.CreateBuilder();

        // TradeStation's JSON is PascalCase.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
        var app = builder.Build();
        var fake = new FakeTradeStation(app);
        app.UseStrictRequestBodies(fake.RequestBodies);
        app.MapPost("/oauth/token", (Delegate)fake.Token);
        app.MapPost("/v3/orderexecution/orders", (Delegate)fake.PlaceAsync);
        app.MapGet("/v3/brokerage/accounts/{account}/orders", (Delegate)fake.List);
        app.MapGet("/v3/brokerage/accounts/{account}/orders/{orderId}", (Delegate)fake.ById);
        app.MapGet("/v3/brokerage/accounts/{account}/positions", (Delegate)fake.Positions);
        app.MapDelete("/v3/orderexecution/orders/{orderId}", (Delegate)fake.Cancel);
        app.MapGet("/v3/brokerage/stream/accounts/{accounts}/orders", (Delegate)fake.StreamOrdersAsync);
        await app.StartAsync();
        fake.BaseAddress = LocalServer.AddressOf(app);
        return fake;
    }

    public void ExpireAccessTokens() => _validAccess.Clear();

    /// <summary>The next placement is answered with <paramref name="answer"/> and not placed.</summary>
    public void AnswerNextPlacementWith(CannedAnswer answer) => Interlocked.Exchange(ref _canned, answer);

    public void FailNext(int count, int status)
    {
        _failStatus = status;
        Interlocked.Exchange(ref _failNext, count);
    }

    public void HangNextPlacement() => Interlocked.Exchange(ref _hangNext, 1);

    public void Fill(string confirmId, decimal price)
    {
        var order = Orders[confirmId];
        Orders[confirmId] = order with { Status = "FLL", Filled = order.Quantity, FilledPrice = price, ClosedAt = TimeProvider.System.GetUtcNow() };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Positions the account holds beyond what its filled orders made (opened on TradeStation's own platform).</summary>
    public ConcurrentDictionary<string, decimal> OutsidePositions { get; } = new();

    private IResult Token(HttpContext http)
    {
        var form = http.Request.Form;
        if (form["grant_type"] != "refresh_token" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["refresh_token"] != _refreshToken)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "Unknown or revoked refresh token." }, statusCode: 401);
        }

        // Rotation: the used refresh token is revoked and a new one handed out.
        var n = Interlocked.Increment(ref Refreshes);
        _refreshToken = $"ts-refresh-{n}";
        var access = $"ts-access-{n}";
        _validAccess[access] = true;
        return Results.Json(new { access_token = access, refresh_token = _refreshToken, token_type = "Bearer", expires_in = 1200 });
    }

    private IResult? Authorized(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _validAccess.ContainsKey(header[7..])
            ? null
            : Results.Json(new { Error = "Unauthorized", Message = "Access token expired or invalid." }, statusCode: 401);
    }
}
