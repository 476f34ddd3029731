using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using AlgoSignal.Domain.Orders;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace AlgoSignal.Brokers.Bybit;

/// <summary>
/// Bybit V5 (<c>/v5/order/create</c>, <c>/v5/order/realtime</c>, <c>/v5/order/cancel</c>): exact-bytes
/// signing with the server's clock, rounding from instruments-info (cached), minimums checked before
/// sending, duplicate <c>orderLinkId</c> (110072 / 170141) treated as "already placed", and Polly for
/// timeouts, retries of faults that never reached the order book, and a circuit breaker.
/// </summary>
public sealed class BybitAdapter : IBrokerAdapter
{
    private static readonly HashSet<int> DuplicateCodes = [110072, 170141];
    private static readonly HashSet<int> TransientCodes = [10006, 10016, 10429];

    private readonly HttpClient _http;
    private readonly BybitOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private readonly BrokerTransport _transport;
    private readonly ConcurrentDictionary<string, BybitInstrument> _instruments = new();

    public BybitAdapter(HttpClient http, IOptions<BybitOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");
        _transport = new BrokerTransport(
            _http,
            "Bybit",
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RequestsPerSecond,
                TokensPerPeriod = _options.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 1_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));

        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => "bybit";

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { "market", "limit", "stop", "stop_limit" }, new HashSet<string> { "gtc", "ioc", "fok" }, Brackets: true, Short: true)
    {
        // Bybit allows 10 requests/s per account on derivatives; polling takes at most a fifth.
        PollsPerMinute = 120,
    };

    public static string MapSymbol(string symbol)
    {
        var ticker = symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol;

        // TradingView names perpetuals BTCUSDT.P; Bybit names them BTCUSDT.
        return (ticker.EndsWith(".P", StringComparison.OrdinalIgnoreCase) ? ticker[..^2] : ticker).ToUpperInvariant();
    }

    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("Bybit", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        var symbol = MapSymbol(order.Symbol);
        BybitInstrument instrument;
        try
        {
            instrument = await InstrumentAsync(symbol, cancellationToken);
        }
        catch (BybitRejection rejection)
        {
            return PlaceResult.Rejected(rejection.Code, rejection.Message);
        }

        var quantity = instrument.RoundQuantity(order.Quantity);
        if (quantity < instrument.MinOrderQty)
        {
            return PlaceResult.Rejected("min_quantity", $"{order.Quantity} {symbol} rounds to {quantity}, below Bybit's minimum {instrument.MinOrderQty} (step {instrument.QtyStep}).");
        }

        var notionalPrice = order.LimitPrice ?? order.StopPrice ?? order.ReferencePrice;
        if (notionalPrice is { } p && instrument.MinNotional > 0 && quantity * p < instrument.MinNotional)
        {
            return PlaceResult.Rejected("min_notional", $"{quantity} × {p} is below Bybit's minimum order value {instrument.MinNotional}.");
        }

        var body = new JsonObject
        {
            ["category"] = _options.Category,
            ["symbol"] = symbol,
            ["side"] = Side(order.Side),
            ["orderType"] = OrderType(order.OrderType),
            ["qty"] = Text(quantity),
            ["timeInForce"] = order.OrderType is "market" or "stop" ? "IOC" : TimeInForce(order.TimeInForce),
            ["orderLinkId"] = order.ClientOrderId,
            ["positionIdx"] = 0,
        };
        if (order.LimitPrice is { } limit && order.OrderType is "limit" or "stop_limit")
        {
            body["price"] = Text(instrument.RoundPrice(limit, order.Side));
        }

        if (order.StopPrice is { } stop && order.OrderType is "stop" or "stop_limit")
        {
            // Bybit has no stop type: a trigger price and the direction the market must move to reach it.
            body["triggerPrice"] = Text(Math.Round(stop / instrument.TickSize) * instrument.TickSize);
            body["triggerDirection"] = order.Side == "buy" ? 1 : 2;
        }

        if (order.ReduceOnly)
        {
            body["reduceOnly"] = true;
        }
        else
        {
            // reduceOnly cannot be combined with take-profit / stop-loss.
            if (order.TakeProfit is { } tp)
            {
                body["takeProfit"] = Text(Math.Round(tp / instrument.TickSize) * instrument.TickSize);
            }

            if (order.StopLoss is { } sl)
            {
                body["stopLoss"] = Text(Math.Round(sl / instrument.TickSize) * instrument.TickSize);
            }

            if (order.TakeProfit is not null || order.StopLoss is not null)
            {
                body["tpslMode"] = "Full";
            }
        }

        JsonElement answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Post, "v5/order/create", body.ToJsonString(), ct), cancellationToken);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"Bybit is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }

        var code = answer.GetProperty("retCode").GetInt32();
        if (code == 0)
        {
            return PlaceResult.Accepted(answer.GetProperty("result").GetProperty("orderId").GetString());
        }

        if (DuplicateCodes.Contains(code))
        {
            // Sent before (a retry after a lost answer): the order exists; report it, never place twice.
            var existing = await GetOrderAsync(order, cancellationToken);
            return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this client order id");
        }

        return PlaceResult.Rejected(code.ToString(CultureInfo.InvariantCulture), answer.GetProperty("retMsg").GetString() ?? "rejected");
    }

    public string BrokerSymbol(string symbol) => MapSymbol(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        // Without a symbol, V5 position/list needs the settle coin for linear contracts and then lists only non-zero positions.
        var query = $"category={_options.Category}&settleCoin={Uri.EscapeDataString(_options.SettleCoin)}&limit=200";
        var answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Get, "v5/position/list?" + query, null, ct), cancellationToken);
        if (answer.GetProperty("retCode").GetInt32() != 0)
        {
            throw new BrokerException($"Bybit position query failed: {answer.GetProperty("retMsg").GetString()}");
        }

        var positions = new List<BrokerPosition>();
        foreach (var row in answer.GetProperty("result").GetProperty("list").EnumerateArray())
        {
            var size = Decimal(row, "size") ?? 0m;
            var side = row.TryGetProperty("side", out var s) ? s.GetString() : null;
            if (size != 0m)
            {
                positions.Add(new BrokerPosition(row.GetProperty("symbol").GetString() ?? "", side == "Sell" ? -size : size, Decimal(row, "avgPrice")));
            }
        }

        return positions;
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        // Without orderLinkId, V5 order/realtime lists the open orders; linear needs the symbol, base coin or settle coin.
        var orders = new List<BrokerOpenOrder>();
        var cursor = "";
        for (var page = 0; page < 20; page++)
        {
            var query = $"category={_options.Category}&settleCoin={Uri.EscapeDataString(_options.SettleCoin)}&openOnly=0&limit=50"
                + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            var answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, ct), cancellationToken);
            if (answer.GetProperty("retCode").GetInt32() != 0)
            {
                throw new BrokerException($"Bybit open-order query failed: {answer.GetProperty("retMsg").GetString()}");
            }

            var result = answer.GetProperty("result");
            foreach (var row in result.GetProperty("list").EnumerateArray())
            {
                var status = ParseOrder(row);
                if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled))
                {
                    continue;
                }

                var quantity = Decimal(row, "qty") ?? 0m;
                var linkId = row.TryGetProperty("orderLinkId", out var link) ? link.GetString() : null;
                orders.Add(new BrokerOpenOrder(
                    status.BrokerOrderId, string.IsNullOrEmpty(linkId) ? null : linkId, row.GetProperty("symbol").GetString() ?? "",
                    row.TryGetProperty("side", out var side) && side.GetString() == "Sell" ? "sell" : "buy", quantity, Decimal(row, "leavesQty") ?? quantity - status.FilledQuantity));
            }

            cursor = result.TryGetProperty("nextPageCursor", out var next) ? next.GetString() ?? "" : "";
            if (cursor.Length == 0)
            {
                break;
            }
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var query = $"category={_options.Category}&orderLinkId={Uri.EscapeDataString(order.ClientOrderId)}";
        var answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, ct), cancellationToken);
        if (answer.GetProperty("retCode").GetInt32() != 0)
        {
            throw new BrokerException($"Bybit order query failed: {answer.GetProperty("retMsg").GetString()}");
        }

        var list = answer.GetProperty("result").GetProperty("list");
        if (list.GetArrayLength() == 0)
        {
            return null;
        }

        return ParseOrder(list[0]);
    }

    /// <summary>An order row as <c>/v5/order/realtime</c> and the private stream's <c>order</c> topic both report it.</summary>
    public static BrokerOrderStatus ParseOrder(JsonElement row)
    {
        var text = row.GetProperty("orderStatus").GetString();
        var status = text switch
        {
            "Filled" => OrderStatuses.Filled,
            "PartiallyFilled" => OrderStatuses.PartiallyFilled,
            "Cancelled" or "PartiallyFilledCanceled" or "Deactivated" => OrderStatuses.Cancelled,
            "Rejected" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        return new BrokerOrderStatus(
            row.GetProperty("orderId").GetString()!, status, Decimal(row, "cumExecQty") ?? 0m, Decimal(row, "avgPrice") is > 0m and var average ? average : null, text,
            Milliseconds(row, "updatedTime"));
    }

    /// <summary>A millisecond timestamp sent as a string (Bybit's <c>updatedTime</c>, <c>execTime</c>).</summary>
    public static DateTimeOffset? Milliseconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["category"] = _options.Category, ["symbol"] = MapSymbol(order.Symbol), ["orderLinkId"] = order.ClientOrderId };
        var answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Post, "v5/order/cancel", body.ToJsonString(), ct), cancellationToken);
        var code = answer.GetProperty("retCode").GetInt32();
        return code == 0
            ? PlaceResult.Accepted(answer.GetProperty("result").GetProperty("orderId").GetString())
            : PlaceResult.Rejected(code.ToString(CultureInfo.InvariantCulture), answer.GetProperty("retMsg").GetString() ?? "cancel refused");
    }

    private async Task<BybitInstrument> InstrumentAsync(string symbol, CancellationToken cancellationToken)
    {
        if (_instruments.TryGetValue(symbol, out var cached))
        {
            return cached;
        }

        var query = $"category={_options.Category}&symbol={symbol}";
        var answer = await _pipeline.ExecuteAsync(async ct => await SendAsync(HttpMethod.Get, "v5/market/instruments-info?" + query, null, ct, signed: false), cancellationToken);
        var list = answer.GetProperty("result").GetProperty("list");
        if (answer.GetProperty("retCode").GetInt32() != 0 || list.GetArrayLength() == 0)
        {
            throw new BybitRejection("unknown_symbol", $"Bybit has no {_options.Category} instrument {symbol}.");
        }

        var info = list[0];
        var lot = info.GetProperty("lotSizeFilter");
        var instrument = new BybitInstrument(
            symbol,
            Decimal(info.GetProperty("priceFilter"), "tickSize") ?? 0.01m,
            Decimal(lot, "qtyStep") ?? Decimal(lot, "basePrecision") ?? 0.001m,
            Decimal(lot, "minOrderQty") ?? 0m,
            Decimal(lot, "minNotionalValue") ?? Decimal(lot, "minOrderAmt") ?? 0m);
        _instruments[symbol] = instrument;
        return instrument;
    }

    /// <summary>One request through the shared transport; <see cref="BybitAuthHandler"/> on the HttpClient signs it unless it is public.</summary>
    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken, bool signed = true)
    {
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = BrokerContent.Json(json);
            }

            request.Options.Set(BybitAuthHandler.Public, !signed);
            return request;
        }

        // Only a request that places or changes an order can have landed unseen; a query is retried.
        var answer = (await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, cancellationToken)).Body;
        if (answer.ValueKind != JsonValueKind.Object)
        {
            var shapeless = $"Bybit answered {path.Split('?')[0]} without its JSON envelope";
            throw method == HttpMethod.Get ? new BrokerException(shapeless + ".") : new BrokerUnknownOutcomeException(shapeless + "; the order may have landed.");
        }

        var code = answer.TryGetProperty("retCode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -1;
        if (TransientCodes.Contains(code) || code == 10002)
        {
            // Rate limits, and a timestamp refused even after resynchronising: nothing landed, the retry resends.
            throw new BrokerException($"Bybit refused {path.Split('?')[0]} for now ({code}).");
        }

        return answer;
    }

    private static string Text(decimal value) => BrokerNumbers.Text(value);

    private static string Side(string side) => side switch
    {
        "buy" => "Buy",
        "sell" => "Sell",
        _ => throw new UnsupportedOrderException("Bybit", "side", side),
    };

    // Bybit has no stop order type: a stop is a market order with a trigger price, a stop-limit a limit order with one.
    private static string OrderType(string type) => type switch
    {
        "market" or "stop" => "Market",
        "limit" or "stop_limit" => "Limit",
        _ => throw new UnsupportedOrderException("Bybit", "order type", type),
    };

    // Bybit has no day order (V5 order/create: GTC, IOC, FOK, PostOnly); a day order is refused by the capabilities check.
    private static string TimeInForce(string timeInForce) => timeInForce switch
    {
        "gtc" => "GTC",
        "ioc" => "IOC",
        "fok" => "FOK",
        _ => throw new UnsupportedOrderException("Bybit", "time in force", timeInForce),
    };

    private static decimal? Decimal(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private sealed class BybitRejection(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
