using AlgoSignal.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// An in-process TradeStation v3: OAuth refresh with rotating refresh tokens (a used one is revoked),
/// bearer tokens that can be expired on demand (401), orders with OrderConfirmID duplicate protection,
/// OSO brackets, statuses, cancel, and 429/5xx and slow answers on demand.
/// </summary>
public sealed class FakeTradeStation : IAsyncDisposable
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

    /// <summary>Fills the order and pushes its new state to every open order stream.</summary>
    public void FillAndPush(string confirmId, decimal price)
    {
        Fill(confirmId, price);
        Push(View(Orders[confirmId]));
    }

    /// <summary>Order streams open right now (past their snapshot).</summary>
    public int OpenStreams => _streamWriters.Count;

    /// <summary>Order streams opened since the start.</summary>
    public int StreamsOpened;

    /// <summary>Asks every open order stream to reconnect (<c>{"StreamStatus":"GoAway"}</c>).</summary>
    public void GoAway() => Push(GoAwayMessage);

    private static readonly object GoAwayMessage = new { StreamStatus = "GoAway" };

    /// <summary>Seconds between heartbeats on an idle order stream.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, System.Threading.Channels.ChannelWriter<object>> _streamWriters = new();

    private void Push(object message)
    {
        foreach (var writer in _streamWriters.Values)
        {
            writer.TryWrite(message);
        }
    }

    /// <summary>
    /// TradeStation's order stream: newline-delimited JSON on a chunked answer of type
    /// <c>application/vnd.tradestation.streams.v3+json</c> — the account's orders, <c>{"StreamStatus":"EndSnapshot"}</c>,
    /// then each change, heartbeats while idle, and <c>{"StreamStatus":"GoAway"}</c> before it ends a stream.
    /// </summary>
    private async Task StreamOrdersAsync(HttpContext http, string accounts)
    {
        if (Authorized(http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }

        if (string.IsNullOrWhiteSpace(accounts) || accounts.Split(',').Length > 25)
        {
            await Results.Json(new { Error = "BadRequest", Message = "1 to 25 comma-separated account ids are required." }, statusCode: 400).ExecuteAsync(http);
            return;
        }

        var channel = System.Threading.Channels.Channel.CreateUnbounded<object>();
        var id = Guid.NewGuid();
        http.Response.ContentType = "application/vnd.tradestation.streams.v3+json";
        var json = new JsonSerializerOptions { PropertyNamingPolicy = null };
        async Task WriteAsync(object message)
        {
            await http.Response.WriteAsync(JsonSerializer.Serialize(message, json) + "\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }

        try
        {
            foreach (var order in Orders.Values)
            {
                await WriteAsync(View(order));
            }

            await WriteAsync(new { StreamStatus = "EndSnapshot" });
            _streamWriters[id] = channel.Writer;
            Interlocked.Increment(ref StreamsOpened);
            var beats = 0;
            while (!http.RequestAborted.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                idle.CancelAfter(HeartbeatInterval);
                object message;
                try
                {
                    message = await channel.Reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                {
                    message = new { Heartbeat = ++beats, Timestamp = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) };
                }

                await WriteAsync(message);
                if (ReferenceEquals(message, GoAwayMessage))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            _streamWriters.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static object View(TsOrder o) => new
    {
        OrderID = o.OrderId,
        OrderConfirmID = o.ConfirmId,
        Status = o.Status,
        FilledPrice = o.FilledPrice.ToString(CultureInfo.InvariantCulture),
        OpenedDateTime = o.OpenedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ClosedDateTime = o.ClosedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        Legs = new[] { new { Symbol = o.Symbol, QuantityOrdered = o.Quantity.ToString(CultureInfo.InvariantCulture), ExecQuantity = o.Filled.ToString(CultureInfo.InvariantCulture), BuyOrSell = o.Action } },
    };

    /// <summary>Positions the account holds beyond what its filled orders made (opened on TradeStation's own platform).</summary>
    public ConcurrentDictionary<string, decimal> OutsidePositions { get; } = new();

    private IResult Positions(HttpContext http)
    {
        if (Authorized(http) is { } refused)
        {
            return refused;
        }

        var sizes = Orders.Values.Where(o => o.Filled > 0m).GroupBy(o => o.Symbol)
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Action is "BUY" or "BUYTOCOVER" ? o.Filled : -o.Filled));
        foreach (var (symbol, quantity) in OutsidePositions)
        {
            sizes[symbol] = sizes.GetValueOrDefault(symbol) + quantity;
        }

        // TradeStation reports numbers as strings and the side in LongShort.
        return Results.Json(new
        {
            Positions = sizes.Where(kv => kv.Value != 0m).Select(kv => new
            {
                AccountID = "SIM123456", Symbol = kv.Key, Quantity = Math.Abs(kv.Value).ToString(CultureInfo.InvariantCulture),
                LongShort = kv.Value > 0m ? "Long" : "Short", AveragePrice = MarketPrice.ToString(CultureInfo.InvariantCulture),
            }),
            Errors = Array.Empty<object>(),
        });
    }

    private IResult List(HttpContext http)
    {
        StatusRequestTimes.Enqueue(TimeProvider.System.GetUtcNow());
        return Authorized(http) ?? Results.Json(new { Orders = Orders.Values.Select(View) });
    }

    private IResult ById(HttpContext http, string orderId)
    {
        StatusRequestTimes.Enqueue(TimeProvider.System.GetUtcNow());
        return Authorized(http) ?? Results.Json(new { Orders = Orders.Values.Where(o => o.OrderId == orderId).Select(View) });
    }

    private IResult Cancel(HttpContext http, string orderId)
    {
        if (Authorized(http) is { } refused)
        {
            return refused;
        }

        var order = Orders.Values.Single(o => o.OrderId == orderId);
        Orders[order.ConfirmId] = order with { Status = "CAN", ClosedAt = TimeProvider.System.GetUtcNow() };
        Push(View(Orders[order.ConfirmId]));
        return Results.Json(new { OrderID = orderId, Message = "Cancel request sent" });
    }

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

    private async Task<IResult> PlaceAsync(HttpContext http)
    {
        Interlocked.Increment(ref PlaceRequests);
        if (Interlocked.Exchange(ref _canned, null) is { } canned)
        {
            return canned.ToResult();
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            return Results.Json(new { Error = "ServiceUnavailable", Message = "try later" }, statusCode: _failStatus);
        }

        if (Authorized(http) is { } refused)
        {
            return refused;
        }

        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var root = document.RootElement;
        var confirm = root.GetProperty("OrderConfirmID").GetString()!;
        if (confirm.Length is < 1 or > 22)
        {
            return Results.Json(new { Error = "BadRequest", Message = "OrderConfirmID must be 1-22 characters." }, statusCode: 400);
        }

        if (Orders.ContainsKey(confirm))
        {
            return Results.Json(new { Orders = Array.Empty<object>(), Errors = new[] { new { OrderID = "", Error = "FAILED", Message = "Duplicate order confirm id." } } });
        }

        var symbol = root.GetProperty("Symbol").GetString()!;
        if (symbol == "REJECT")
        {
            return Results.Json(new { Orders = Array.Empty<object>(), Errors = new[] { new { OrderID = "", Error = "FAILED", Message = "Order failed. Reason: Not enough buying power." } } });
        }

        var type = root.GetProperty("OrderType").GetString()!;
        var quantity = decimal.Parse(root.GetProperty("Quantity").GetString()!, CultureInfo.InvariantCulture);
        decimal? Price(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? decimal.Parse(v.GetString()!, CultureInfo.InvariantCulture) : null;
        decimal? takeProfit = null, stopLoss = null;
        if (root.TryGetProperty("OSOs", out var osos))
        {
            foreach (var leg in osos[0].GetProperty("Orders").EnumerateArray())
            {
                if (leg.GetProperty("OrderType").GetString() == "Limit")
                {
                    takeProfit = Price(leg, "LimitPrice");
                }
                else
                {
                    stopLoss = Price(leg, "StopPrice");
                }
            }
        }

        var id = (1000 + Interlocked.Increment(ref _sequence)).ToString(CultureInfo.InvariantCulture);
        var market = type == "Market";
        Orders[confirm] = new TsOrder(id, confirm, symbol, root.GetProperty("TradeAction").GetString()!, type, quantity, Price(root, "LimitPrice"), Price(root, "StopPrice"),
            takeProfit, stopLoss, market ? "FLL" : "ACK", market ? quantity : 0m, market ? MarketPrice : 0m) { ClosedAt = market ? TimeProvider.System.GetUtcNow() : null };
        Push(View(Orders[confirm]));

        if (Interlocked.Exchange(ref _hangNext, 0) == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return Results.Json(new { Orders = new[] { new { OrderID = id, Message = $"Sent order: {root.GetProperty("TradeAction").GetString()} {quantity} {symbol} @ {type}" } } });
    }
}

public sealed record TsOrder(string OrderId, string ConfirmId, string Symbol, string Action, string Type, decimal Quantity, decimal? LimitPrice, decimal? StopPrice,
    decimal? TakeProfit, decimal? StopLoss, string Status, decimal Filled, decimal FilledPrice)
{
    public DateTimeOffset OpenedAt { get; init; } = TimeProvider.System.GetUtcNow();

    public DateTimeOffset? ClosedAt { get; init; }
}
