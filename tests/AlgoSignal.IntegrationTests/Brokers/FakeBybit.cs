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

    /// <summary>
    /// The settings that point AlgoSignal's Bybit adapter at this fake; null <paramref name="environment"/> declares none.
    /// With <paramref name="stream"/> the private WebSocket is configured too (otherwise orders are only polled).
    /// </summary>
    public Dictionary<string, string> Settings(string? environment = "testnet", bool stream = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["Brokers:Bybit:BaseUrl"] = BaseAddress.ToString(),
            ["Brokers:Bybit:ApiKey"] = ApiKey,
            ["Brokers:Bybit:ApiSecret"] = ApiSecret,
        };
        if (stream)
        {
            settings["Brokers:Bybit:StreamUrl"] = StreamAddress.ToString();
        }

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

    /// <summary>How many order-status requests (<c>/v5/order/realtime</c>) arrived: the poller's requests.</summary>
    public int RealtimeRequests;

    /// <summary>Queries of one order (by orderLinkId) fail with 503 while this is set; the open-order list still answers.</summary>
    public volatile bool FailOrderQueries;

    /// <summary>An order placed at Bybit outside AlgoSignal (the app, another bot): resting, unfilled.</summary>
    public FakeOrder AddOutsideOrder(string symbol, string side, decimal quantity, decimal price)
    {
        var linkId = "outside-" + Guid.NewGuid().ToString("N")[..8];
        var order = new FakeOrder("bybit-" + Guid.NewGuid().ToString("N")[..12], linkId, symbol, side, "Limit", quantity, price, null, null, null, "New", 0m, 0m, Now(), Now());
        Orders[linkId] = order;
        return order;
    }

    /// <summary>The private WebSocket (<c>/v5/private</c>).</summary>
    public Uri StreamAddress => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/v5/private" }.Uri;

    /// <summary>Private-stream requests the fake refused, with Bybit's reason (bad signature, expired, not authorized …).</summary>
    public ConcurrentQueue<string> StreamRefusals { get; } = new();

    /// <summary>Connections authenticated and subscribed to the <c>order</c> topic right now.</summary>
    public int SubscribedStreams => _streams.Values.Count(c => c.Topics.ContainsKey("order"));

    /// <summary>Pings received on the private stream.</summary>
    public int StreamPings;

    private readonly ConcurrentDictionary<string, StreamConnection> _streams = new();
    private volatile bool _refuseStreams;

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
        app.UseWebSockets();
        app.Map("/v5/private", (Delegate)fake.PrivateStreamAsync);
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

    /// <summary>
    /// Fills the order up to <paramref name="filledQuantity"/> (all of it by default) at <paramref name="price"/> and pushes the
    /// execution and the order's new state to subscribed private streams, <paramref name="pushes"/> times (a resent message).
    /// </summary>
    public async Task FillAsync(string orderLinkId, decimal price, decimal? filledQuantity = null, int pushes = 1)
    {
        var order = Orders[orderLinkId];
        var cumulative = filledQuantity ?? order.Qty;
        var executed = cumulative - order.CumExecQty;
        var average = cumulative == 0m ? 0m : ((order.AvgPrice * order.CumExecQty) + (price * executed)) / cumulative;
        var filled = order with { Status = cumulative >= order.Qty ? "Filled" : "PartiallyFilled", CumExecQty = cumulative, AvgPrice = average, UpdatedTime = Now() };
        Orders[orderLinkId] = filled;
        for (var i = 0; i < pushes; i++)
        {
            await PushAsync("execution", new
            {
                category = "linear", symbol = filled.Symbol, orderId = filled.OrderId, orderLinkId, side = filled.Side, orderType = filled.Type,
                execId = Guid.NewGuid().ToString(), execPrice = Text(price), execQty = Text(executed), execType = "Trade", execTime = Text(filled.UpdatedTime),
                leavesQty = Text(filled.Qty - cumulative), orderQty = Text(filled.Qty), orderPrice = Text(filled.Price ?? 0m), isMaker = false,
            });
            await PushAsync("order", OrderRow(filled));
        }
    }

    /// <summary>Pushes the order's current state again (a late or repeated message).</summary>
    public Task PushOrderAsync(string orderLinkId) => PushAsync("order", OrderRow(Orders[orderLinkId]));

    public void Fill(string orderLinkId, decimal price)
    {
        var order = Orders[orderLinkId];
        Orders[orderLinkId] = order with { Status = "Filled", CumExecQty = order.Qty, AvgPrice = price, UpdatedTime = Now() };
    }

    /// <summary>Cuts every private-stream connection; with <paramref name="refuseNew"/> new ones are refused until <see cref="AllowStreams"/>.</summary>
    public void DropStreams(bool refuseNew)
    {
        _refuseStreams = refuseNew;
        foreach (var connection in _streams.Values)
        {
            connection.Socket.Abort();
        }
    }

    public void AllowStreams() => _refuseStreams = false;

    private static object OrderRow(FakeOrder o) => new
    {
        category = "linear", symbol = o.Symbol, orderId = o.OrderId, orderLinkId = o.OrderLinkId, side = o.Side, orderType = o.Type, orderStatus = o.Status,
        price = Text(o.Price ?? 0m), qty = Text(o.Qty), cumExecQty = Text(o.CumExecQty), avgPrice = Text(o.AvgPrice), leavesQty = Text(o.Qty - o.CumExecQty),
        timeInForce = "GTC", createdTime = Text(o.CreatedTime), updatedTime = Text(o.UpdatedTime),
    };

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task PushAsync(string topic, object row)
    {
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id = Guid.NewGuid().ToString("N"), topic, creationTime = Now(), data = new[] { row } });
        foreach (var connection in _streams.Values.Where(c => c.Topics.ContainsKey(topic)))
        {
            await connection.SendAsync(message);
        }
    }

    /// <summary>
    /// Bybit V5's private WebSocket as documented: <c>auth</c> first (the key, an <c>expires</c> in the future, the hex
    /// HMAC-SHA256 of <c>GET/realtime{expires}</c>), then <c>subscribe</c> to private topics; <c>ping</c> answered with
    /// <c>pong</c>. A subscription before authentication, an expired or wrongly signed authentication and an unknown
    /// topic are refused with <c>success: false</c>.
    /// </summary>
    private async Task PrivateStreamAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        if (_refuseStreams)
        {
            http.Response.StatusCode = 503;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new StreamConnection(Guid.NewGuid().ToString(), socket);
        var authenticated = false;
        _streams[connection.Id] = connection;
        try
        {
            var buffer = new byte[16 * 1024];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    break;
                }

                if (!result.EndOfMessage)
                {
                    await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { success = false, ret_msg = "message too long", conn_id = connection.Id }));
                    continue;
                }

                using var request = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = request.RootElement;
                var op = root.TryGetProperty("op", out var o) ? o.GetString() : null;
                var reqId = root.TryGetProperty("req_id", out var r) ? r.GetString() : null;
                string? refusal = null;
                switch (op)
                {
                    case "auth":
                        refusal = CheckAuth(root);
                        authenticated = refusal is null;
                        break;
                    case "subscribe":
                        refusal = !authenticated ? "Request not authorized"
                            : root.GetProperty("args").EnumerateArray().Select(a => a.GetString()).FirstOrDefault(t => t is not ("order" or "execution" or "position" or "wallet")) is { } unknown
                                ? $"Invalid topic: {unknown}"
                                : null;
                        if (refusal is null)
                        {
                            foreach (var topic in root.GetProperty("args").EnumerateArray())
                            {
                                connection.Topics[topic.GetString()!] = true;
                            }
                        }

                        break;
                    case "ping":
                        Interlocked.Increment(ref StreamPings);
                        await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { req_id = reqId ?? "", op = "pong", args = new[] { Text(Now()) }, conn_id = connection.Id }));
                        continue;
                    default:
                        refusal = $"Invalid op: {op}";
                        break;
                }

                if (refusal is not null)
                {
                    StreamRefusals.Enqueue($"{op}: {refusal}");
                }

                await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { success = refusal is null, ret_msg = refusal ?? "", op, req_id = reqId ?? "", conn_id = connection.Id }));
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            // The client or the test cut the connection.
        }
        finally
        {
            _streams.TryRemove(connection.Id, out _);
        }
    }

    private string? CheckAuth(JsonElement root)
    {
        if (!root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array || args.GetArrayLength() != 3)
        {
            return "Params Error: args must be [apiKey, expires, signature]";
        }

        if (args[0].GetString() != ApiKey)
        {
            return "API key is invalid.";
        }

        if (!long.TryParse(args[1].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires))
        {
            return "Params Error: expires";
        }

        if (expires <= Now())
        {
            return "Params Error: request expired";
        }

        return args[2].GetString() == Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(ApiSecret), Encoding.UTF8.GetBytes("GET/realtime" + Text(expires))))
            ? null
            : "error sign! origin_string[GET/realtime" + Text(expires) + "]";
    }

    private sealed class StreamConnection(string id, System.Net.WebSockets.WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public string Id { get; } = id;

        public System.Net.WebSockets.WebSocket Socket { get; } = socket;

        public ConcurrentDictionary<string, bool> Topics { get; } = new(StringComparer.Ordinal);

        public async Task SendAsync(byte[] message)
        {
            await _send.WaitAsync();
            try
            {
                if (Socket.State == System.Net.WebSockets.WebSocketState.Open)
                {
                    await Socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // Cut meanwhile.
            }
            finally
            {
                _send.Release();
            }
        }
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
            type == "Market" && !triggered ? qty : 0m, type == "Market" && !triggered ? MarketPrice : 0m, Now(), Now());
        Orders[linkId] = order;

        // Bybit pushes the new order (and a market order's fill) to private streams, often before the HTTP answer arrives.
        await PushAsync("order", OrderRow(order));

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
        if (string.IsNullOrEmpty(linkId) && string.IsNullOrEmpty(http.Request.Query["orderId"]))
        {
            // Open orders: V5 wants symbol, baseCoin or settleCoin for linear.
            if (string.IsNullOrEmpty(http.Request.Query["symbol"]) && string.IsNullOrEmpty(http.Request.Query["baseCoin"]) && string.IsNullOrEmpty(http.Request.Query["settleCoin"]))
            {
                return Error(10001, "params error: symbol, baseCoin or settleCoin is required");
            }

            var open = Orders.Values.Where(o => o.Status is "New" or "PartiallyFilled" or "Untriggered").Select(OrderRow).ToList();
            return Results.Json(new { retCode = 0, retMsg = "OK", result = new { category = "linear", list = open, nextPageCursor = "" }, time = Now() });
        }

        Interlocked.Increment(ref RealtimeRequests);
        if (FailOrderQueries)
        {
            return Results.StatusCode(503);
        }

        var list = Orders.TryGetValue(linkId, out var order) ? new[] { OrderRow(order) } : [];
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
    string Status, decimal CumExecQty, decimal AvgPrice, long CreatedTime = 0, long UpdatedTime = 0);
