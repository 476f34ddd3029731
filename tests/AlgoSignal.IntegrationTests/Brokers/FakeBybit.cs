using AlgoSignal.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// An in-process Bybit V5 that checks what Bybit checks — API key, the receive window against its own
/// clock, the HMAC of the exact bytes — and answers as Bybit does: retCode envelopes on HTTP 200,
/// 110072 for a reused orderLinkId, 429/5xx and slow answers on demand.
/// </summary>
public sealed class FakeBybit : IAsyncDisposable
{
    public const string ApiKey = "fake-bybit-key";
    public const string ApiSecret = "fake-bybit-secret-0123456789";
    public const decimal MarketPrice = 50_000m;

    private readonly WebApplication _app;
    private int _failNext;
    private CannedAnswer? _canned;
    private TaskCompletionSource _instrumentGate = CompletedGate();
    private int _failStatus;
    private int _hangNext;

    private FakeBybit(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>The settings that point AlgoSignal's Bybit adapter at this fake; null <paramref name="environment"/> declares none.</summary>
    public Dictionary<string, string> Settings(string? environment = "testnet")
    {
        var settings = new Dictionary<string, string>
        {
            ["Brokers:Bybit:BaseUrl"] = BaseAddress.ToString(),
            ["Brokers:Bybit:ApiKey"] = ApiKey,
            ["Brokers:Bybit:ApiSecret"] = ApiSecret,
        };
        if (environment is not null)
        {
            settings["Brokers:Bybit:Environment"] = environment;
        }

        return settings;
    }

    /// <summary>Every request body as sent (the fake refuses bodies without a Content-Length).</summary>
    public ConcurrentQueue<string> RequestBodies { get; } = new();

    public ConcurrentDictionary<string, FakeOrder> Orders { get; } = new();

    public int CreateRequests;

    /// <summary>How many instruments-info requests arrived (the adapter asks before its first order of a symbol).</summary>
    public int InstrumentRequests;

    /// <summary>Instruments-info answers wait until <see cref="ReleaseInstruments"/>: a client is held before it places an order.</summary>
    public void HoldInstruments() => _instrumentGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseInstruments() => _instrumentGate.TrySetResult();

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    /// <summary>Shifts the server's clock (a client that does not resynchronise gets 10002).</summary>
    public long ClockOffsetMs { get; set; }

    public static async Task<FakeBybit> StartAsync()
    {
        var builder = LocalServer.CreateBuilder();
        var app = builder.Build();
        var fake = new FakeBybit(app);
        app.UseStrictRequestBodies(fake.RequestBodies);
        app.MapGet("/v5/market/time", () => Results.Json(new { retCode = 0, retMsg = "OK", result = new { timeSecond = (fake.Now() / 1000).ToString(CultureInfo.InvariantCulture) }, time = fake.Now() }));
        app.MapGet("/v5/market/instruments-info", async (string? symbol) =>
        {
            Interlocked.Increment(ref fake.InstrumentRequests);
            await fake._instrumentGate.Task;
            return Results.Json(symbol == "BTCUSDT" || symbol == "REJECTUSDT"
                ? new { retCode = 0, retMsg = "OK", result = new { category = "linear", list = new[] { new { symbol, priceFilter = new { tickSize = "0.10" }, lotSizeFilter = new { qtyStep = "0.001", minOrderQty = "0.001", minNotionalValue = "5" } } } } }
                : (object)new { retCode = 0, retMsg = "OK", result = new { category = "linear", list = Array.Empty<object>() } });
        });
        app.MapPost("/v5/order/create", (Delegate)fake.CreateAsync);
        app.MapGet("/v5/order/realtime", (Delegate)fake.Realtime);
        app.MapPost("/v5/order/cancel", (Delegate)fake.CancelAsync);
        app.MapGet("/v5/position/list", (Delegate)fake.PositionList);
        await app.StartAsync();
        fake.BaseAddress = LocalServer.AddressOf(app);
        return fake;
    }

    /// <summary>The next placement is answered with <paramref name="answer"/> and not placed.</summary>
    public void AnswerNextPlacementWith(CannedAnswer answer) => Interlocked.Exchange(ref _canned, answer);

    public void FailNext(int count, int status)
    {
        _failStatus = status;
        Interlocked.Exchange(ref _failNext, count);
    }

    public void HangNextCreate() => Interlocked.Exchange(ref _hangNext, 1);

    public void Fill(string orderLinkId, decimal price)
    {
        var order = Orders[orderLinkId];
        Orders[orderLinkId] = order with { Status = "Filled", CumExecQty = order.Qty, AvgPrice = price };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private long Now() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() + ClockOffsetMs;

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        Interlocked.Increment(ref CreateRequests);
        if (Interlocked.Exchange(ref _canned, null) is { } canned)
        {
            return canned.ToResult();
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            return Results.StatusCode(_failStatus);
        }

        var body = await ReadBodyAsync(http);
        if (Authenticate(http, body) is { } refused)
        {
            return refused;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var linkId = root.GetProperty("orderLinkId").GetString()!;
        var symbol = root.GetProperty("symbol").GetString()!;
        if (Orders.ContainsKey(linkId))
        {
            return Error(110072, "OrderLinkedID is duplicate");
        }

        if (symbol == "REJECTUSDT")
        {
            return Error(110007, "ab not enough for new order");
        }

        // Numbers travel as strings on Bybit's wire.
        var qty = decimal.Parse(root.GetProperty("qty").GetString()!, CultureInfo.InvariantCulture);
        var type = root.GetProperty("orderType").GetString()!;
        var triggered = root.TryGetProperty("triggerPrice", out _);
        var order = new FakeOrder(
            "bybit-" + Guid.NewGuid().ToString("N")[..12], linkId, symbol, root.GetProperty("side").GetString()!, type, qty,
            Optional(root, "price"), Optional(root, "triggerPrice"), Optional(root, "takeProfit"), Optional(root, "stopLoss"),
            type == "Market" && !triggered ? "Filled" : triggered ? "Untriggered" : "New",
            type == "Market" && !triggered ? qty : 0m, type == "Market" && !triggered ? MarketPrice : 0m);
        Orders[linkId] = order;

        if (Interlocked.Exchange(ref _hangNext, 0) == 1)
        {
            // The order is in the book, but the answer never arrives in time.
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return Results.Json(new { retCode = 0, retMsg = "OK", result = new { orderId = order.OrderId, orderLinkId = linkId }, retExtInfo = new { }, time = Now() });
    }

    /// <summary>Positions the account holds beyond what its filled orders made (opened elsewhere: the app, another bot).</summary>
    public ConcurrentDictionary<string, decimal> OutsidePositions { get; } = new();

    private IResult PositionList(HttpContext http)
    {
        if (Authenticate(http, Encoding.UTF8.GetBytes(http.Request.QueryString.Value?.TrimStart('?') ?? "")) is { } refused)
        {
            return refused;
        }

        // V5: for linear, either symbol or settleCoin is required.
        if (string.IsNullOrEmpty(http.Request.Query["symbol"]) && string.IsNullOrEmpty(http.Request.Query["settleCoin"]))
        {
            return Error(10001, "params error: symbol or settleCoin is required");
        }

        var sizes = Orders.Values.Where(o => o.CumExecQty > 0m)
            .GroupBy(o => o.Symbol).ToDictionary(g => g.Key, g => g.Sum(o => o.Side == "Buy" ? o.CumExecQty : -o.CumExecQty));
        foreach (var (symbol, quantity) in OutsidePositions)
        {
            sizes[symbol] = sizes.GetValueOrDefault(symbol) + quantity;
        }

        var list = sizes.Where(kv => kv.Value != 0m).Select(kv => new
        {
            positionIdx = 0, symbol = kv.Key, side = kv.Value > 0m ? "Buy" : "Sell",
            size = Math.Abs(kv.Value).ToString(CultureInfo.InvariantCulture), avgPrice = MarketPrice.ToString(CultureInfo.InvariantCulture),
        });
        return Results.Json(new { retCode = 0, retMsg = "OK", result = new { category = "linear", list, nextPageCursor = "" }, time = Now() });
    }

    private IResult Realtime(HttpContext http)
    {
        if (Authenticate(http, Encoding.UTF8.GetBytes(http.Request.QueryString.Value?.TrimStart('?') ?? "")) is { } refused)
        {
            return refused;
        }

        var linkId = http.Request.Query["orderLinkId"].ToString();
        var list = Orders.TryGetValue(linkId, out var order)
            ? new[] { new { orderId = order.OrderId, orderLinkId = linkId, orderStatus = order.Status, cumExecQty = order.CumExecQty.ToString(CultureInfo.InvariantCulture), avgPrice = order.AvgPrice.ToString(CultureInfo.InvariantCulture) } }
            : [];
        return Results.Json(new { retCode = 0, retMsg = "OK", result = new { list } });
    }

    private async Task<IResult> CancelAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http);
        if (Authenticate(http, body) is { } refused)
        {
            return refused;
        }

        using var document = JsonDocument.Parse(body);
        var linkId = document.RootElement.GetProperty("orderLinkId").GetString()!;
        if (!Orders.TryGetValue(linkId, out var order) || order.Status is "Filled" or "Cancelled")
        {
            return Error(110001, "order not exists or too late to cancel");
        }

        Orders[linkId] = order with { Status = "Cancelled" };
        return Results.Json(new { retCode = 0, retMsg = "OK", result = new { orderId = order.OrderId, orderLinkId = linkId } });
    }

    private IResult? Authenticate(HttpContext http, byte[] payload)
    {
        var headers = http.Request.Headers;
        if (headers["X-BAPI-API-KEY"] != ApiKey)
        {
            return Error(10003, "API key is invalid.");
        }

        if (!long.TryParse(headers["X-BAPI-TIMESTAMP"], out var timestamp) || !int.TryParse(headers["X-BAPI-RECV-WINDOW"], out var window))
        {
            return Error(10001, "params error: missing timestamp or recv_window");
        }

        // Bybit: server_time - recv_window <= timestamp < server_time + 1000.
        var now = Now();
        if (timestamp < now - window || timestamp >= now + 1000)
        {
            return Error(10002, "invalid request, please check your server timestamp or recv_window param");
        }

        var expected = BybitSigner.Sign(ApiSecret, timestamp, ApiKey, window, payload);
        return headers["X-BAPI-SIGN"] == expected ? null : Error(10004, "error sign! origin_string[...]");
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var memory = new MemoryStream();
        await http.Request.Body.CopyToAsync(memory);
        return memory.ToArray();
    }

    private static decimal? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture) : null;

    private static IResult Error(int code, string message) => Results.Json(new { retCode = code, retMsg = message, result = new { }, retExtInfo = new { }, time = 0 });
}

public sealed record FakeOrder(
    string OrderId, string OrderLinkId, string Symbol, string Side, string Type, decimal Qty, decimal? Price, decimal? TriggerPrice, decimal? TakeProfit, decimal? StopLoss,
    string Status, decimal CumExecQty, decimal AvgPrice);
