using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers.Bybit.Wire;
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

        var triggered = order.StopPrice is { } stop && order.OrderType is "stop" or "stop_limit";
        var brackets = !order.ReduceOnly && (order.TakeProfit is not null || order.StopLoss is not null);
        var body = new BybitCreateOrder
        {
            Category = _options.Category,
            Symbol = symbol,
            Side = Side(order.Side),
            OrderType = OrderType(order.OrderType),
            Qty = Text(quantity),
            TimeInForce = order.OrderType is "market" or "stop" ? "IOC" : TimeInForce(order.TimeInForce),
            OrderLinkId = order.ClientOrderId,
            PositionIdx = 0,
            Price = order.LimitPrice is { } limit && order.OrderType is "limit" or "stop_limit" ? Text(instrument.RoundPrice(limit, order.Side)) : null,

            // Bybit has no stop type: a trigger price and the direction the market must move to reach it.
            TriggerPrice = triggered ? Text(Math.Round(order.StopPrice!.Value / instrument.TickSize) * instrument.TickSize) : null,
            TriggerDirection = triggered ? (order.Side == "buy" ? 1 : 2) : null,
            ReduceOnly = order.ReduceOnly ? true : null,

            // reduceOnly cannot be combined with take-profit / stop-loss.
            TakeProfit = !order.ReduceOnly && order.TakeProfit is { } tp ? Text(Math.Round(tp / instrument.TickSize) * instrument.TickSize) : null,
            StopLoss = !order.ReduceOnly && order.StopLoss is { } sl ? Text(Math.Round(sl / instrument.TickSize) * instrument.TickSize) : null,
            TpslMode = brackets ? "Full" : null,
        };

        var json = JsonSerializer.SerializeToUtf8Bytes(body, BybitWireContext.Default.BybitCreateOrder);
        BybitEnvelope<BybitOrderId> answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(
                async ct => await SendAsync(HttpMethod.Post, "v5/order/create", json, BybitWireContext.Default.BybitEnvelopeBybitOrderId, ct), cancellationToken);
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

        var code = answer.RetCode ?? -1;
        if (code == 0)
        {
            return answer.Result?.OrderId is { } orderId
                ? PlaceResult.Accepted(orderId)
                : PlaceResult.Unknown("Bybit accepted the order without its orderId; the order may have landed.");
        }

        if (DuplicateCodes.Contains(code))
        {
            // Sent before (a retry after a lost answer): the order exists; report it, never place twice.
            var existing = await GetOrderAsync(order, cancellationToken);
            return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this client order id");
        }

        return PlaceResult.Rejected(code.ToString(CultureInfo.InvariantCulture), answer.RetMsg ?? "rejected");
    }

    public string BrokerSymbol(string symbol) => MapSymbol(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        // Without a symbol, V5 position/list needs the settle coin for linear contracts and then lists only non-zero positions.
        var query = $"category={_options.Category}&settleCoin={Uri.EscapeDataString(_options.SettleCoin)}&limit=200";
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/position/list?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitPositionRow, ct), cancellationToken);
        var rows = Rows(answer, "position query");

        var positions = new List<BrokerPosition>();
        foreach (var row in rows)
        {
            var size = row.Size ?? 0m;
            if (size != 0m)
            {
                positions.Add(new BrokerPosition(row.Symbol ?? "", row.Side == "Sell" ? -size : size, row.AvgPrice));
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
            var answer = await _pipeline.ExecuteAsync(
                async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitOrderRow, ct), cancellationToken);
            foreach (var row in Rows(answer, "open-order query"))
            {
                var status = ToStatus(row);
                if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled))
                {
                    continue;
                }

                var quantity = row.Qty ?? 0m;
                orders.Add(new BrokerOpenOrder(
                    status.BrokerOrderId, string.IsNullOrEmpty(row.OrderLinkId) ? null : row.OrderLinkId, row.Symbol ?? "",
                    row.Side == "Sell" ? "sell" : "buy", quantity, row.LeavesQty ?? quantity - status.FilledQuantity));
            }

            cursor = answer.Result?.NextPageCursor ?? "";
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
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitOrderRow, ct), cancellationToken);
        var rows = Rows(answer, "order query");
        return rows.Count == 0 ? null : ToStatus(rows[0]);
    }

    /// <summary>An order row as <c>/v5/order/realtime</c> and the private stream's <c>order</c> topic both report it.</summary>
    internal static BrokerOrderStatus ToStatus(BybitOrderRow row)
    {
        var status = row.OrderStatus switch
        {
            "Filled" => OrderStatuses.Filled,
            "PartiallyFilled" => OrderStatuses.PartiallyFilled,
            "Cancelled" or "PartiallyFilledCanceled" or "Deactivated" => OrderStatuses.Cancelled,
            "Rejected" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        return new BrokerOrderStatus(
            row.OrderId ?? throw new BrokerException("Bybit reported an order without its orderId."), status, row.CumExecQty ?? 0m,
            row.AvgPrice is > 0m and var average ? average : null, row.OrderStatus, BybitTime.FromMilliseconds(row.UpdatedTime));
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new BybitCancelOrder(_options.Category, MapSymbol(order.Symbol), order.ClientOrderId), BybitWireContext.Default.BybitCancelOrder);
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Post, "v5/order/cancel", body, BybitWireContext.Default.BybitEnvelopeBybitOrderId, ct), cancellationToken);
        return answer.RetCode == 0
            ? PlaceResult.Accepted(answer.Result?.OrderId)
            : PlaceResult.Rejected((answer.RetCode ?? -1).ToString(CultureInfo.InvariantCulture), answer.RetMsg ?? "cancel refused");
    }

    private async Task<BybitInstrument> InstrumentAsync(string symbol, CancellationToken cancellationToken)
    {
        if (_instruments.TryGetValue(symbol, out var cached))
        {
            return cached;
        }

        var query = $"category={_options.Category}&symbol={symbol}";
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/market/instruments-info?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitInstrumentRow, ct, signed: false),
            cancellationToken);
        if (answer.RetCode != 0 || answer.Result?.List is not [var info, ..])
        {
            throw new BybitRejection("unknown_symbol", $"Bybit has no {_options.Category} instrument {symbol}.");
        }

        var lot = info.LotSizeFilter;
        var instrument = new BybitInstrument(
            symbol,
            info.PriceFilter?.TickSize ?? 0.01m,
            lot?.QtyStep ?? lot?.BasePrecision ?? 0.001m,
            lot?.MinOrderQty ?? 0m,
            lot?.MinNotionalValue ?? lot?.MinOrderAmt ?? 0m);
        _instruments[symbol] = instrument;
        return instrument;
    }

    /// <summary>One request through the shared transport; <see cref="BybitAuthHandler"/> on the HttpClient signs it unless it is public.</summary>
    private async Task<BybitEnvelope<T>> SendAsync<T>(HttpMethod method, string path, byte[]? json, JsonTypeInfo<BybitEnvelope<T>> wire, CancellationToken cancellationToken, bool signed = true)
        where T : class
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
        var answer = (await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, wire, cancellationToken)).Body;
        if (answer is null)
        {
            var shapeless = $"Bybit answered {path.Split('?')[0]} without its JSON envelope";
            throw method == HttpMethod.Get ? new BrokerException(shapeless + ".") : new BrokerUnknownOutcomeException(shapeless + "; the order may have landed.");
        }

        var code = answer.RetCode ?? -1;
        if (TransientCodes.Contains(code) || code == 10002)
        {
            // Rate limits, and a timestamp refused even after resynchronising: nothing landed, the retry resends.
            throw new BrokerException($"Bybit refused {path.Split('?')[0]} for now ({code}).");
        }

        return answer;
    }

    /// <summary>The rows of a successful list answer; a refusal is a fault of the query.</summary>
    private static List<TRow> Rows<TRow>(BybitEnvelope<BybitList<TRow>> answer, string what) =>
        answer.RetCode != 0
            ? throw new BrokerException($"Bybit {what} failed: {answer.RetMsg}")
            : answer.Result?.List ?? throw new BrokerException($"Bybit answered the {what} without its list.");

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

    private sealed class BybitRejection(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
