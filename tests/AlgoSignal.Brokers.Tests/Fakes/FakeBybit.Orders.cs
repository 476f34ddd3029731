using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>Bybit V5's order endpoints: create, query, cancel and positions, each checked as Bybit checks a signed request.</summary>
public sealed partial class FakeBybit
{
    private static object OrderRow(FakeOrder o) => new
    {
        category = "linear", symbol = o.Symbol, orderId = o.OrderId, orderLinkId = o.OrderLinkId, side = o.Side, orderType = o.Type, orderStatus = o.Status,
        price = Text(o.Price ?? 0m), qty = Text(o.Qty), cumExecQty = Text(o.CumExecQty), avgPrice = Text(o.AvgPrice), leavesQty = Text(o.Qty - o.CumExecQty),
        timeInForce = "GTC", createdTime = Text(o.CreatedTime), updatedTime = Text(o.UpdatedTime),
    };

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

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
