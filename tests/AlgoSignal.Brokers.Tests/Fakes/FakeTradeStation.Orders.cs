using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>TradeStation v3's order and position endpoints, each behind a bearer token.</summary>
public sealed partial class FakeTradeStation
{
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
