using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace AlgoSignal.Brokers.InteractiveBrokers;

/// <summary>
/// Interactive Brokers through the Client Portal Web API: the gateway's session (status, <c>ssodh/init</c>
/// when needed, <c>tickle</c> to keep it), contract ids looked up once and cached, orders with their
/// <c>cOID</c> and bracket children by <c>parentId</c>, the "are you sure" reply loop (bounded), and a
/// reused <c>cOID</c> treated as already placed.
/// </summary>
public sealed class InteractiveBrokersAdapter : IBrokerAdapter
{
    private const int MaxReplies = 5;

    private readonly HttpClient _http;
    private readonly InteractiveBrokersOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private readonly BrokerTransport _transport;
    private readonly ConcurrentDictionary<string, long> _conids = new();

    public InteractiveBrokersAdapter(HttpClient http, IOptions<InteractiveBrokersOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");
        _transport = new BrokerTransport(
            _http,
            "The IBKR gateway",
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RequestsPerSecond,
                TokensPerPeriod = _options.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 1_000,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));
        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => "interactive_brokers";

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { "market", "limit", "stop", "stop_limit" }, new HashSet<string> { "day", "gtc", "ioc" }, Brackets: true, Short: true)
    {
        // The gateway allows 10 requests/s in all; polling takes at most one a second.
        PollsPerMinute = 60,
    };

    /// <summary>Handler for the gateway's self-signed certificate, accepted only when configured.</summary>
    public static HttpMessageHandler CreateHandler(InteractiveBrokersOptions options) => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = options.AllowSelfSignedCertificate
            ? (_, _, _, errors) => true
            : null,
    };

    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("IBKR", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        try
        {
            var conid = await ConidAsync(order.Symbol, cancellationToken);
            if (conid is null)
            {
                return PlaceResult.Rejected("unknown_symbol", $"IBKR has no stock contract for {Ticker(order.Symbol)}.");
            }

            var orders = new JsonArray { Ticket(order, conid.Value) };
            var exit = Side(order.Side) == "BUY" ? "SELL" : "BUY";
            if (order.TakeProfit is { } tp)
            {
                orders.Add(new JsonObject { ["conid"] = conid, ["orderType"] = "LMT", ["side"] = exit, ["quantity"] = BrokerNumbers.Canonical(order.Quantity), ["price"] = BrokerNumbers.Canonical(tp), ["tif"] = "GTC", ["cOID"] = order.ClientOrderId + "-tp", ["parentId"] = order.ClientOrderId });
            }

            if (order.StopLoss is { } sl)
            {
                orders.Add(new JsonObject { ["conid"] = conid, ["orderType"] = "STP", ["side"] = exit, ["quantity"] = BrokerNumbers.Canonical(order.Quantity), ["price"] = BrokerNumbers.Canonical(sl), ["tif"] = "GTC", ["cOID"] = order.ClientOrderId + "-sl", ["parentId"] = order.ClientOrderId });
            }

            var answer = await SendAsync(HttpMethod.Post, $"iserver/account/{Account(order)}/orders", new JsonObject { ["orders"] = orders }, cancellationToken);

            // "Are you sure?" prompts must be answered at once, and may chain: bounded.
            for (var replies = 0; IsPrompt(answer, out var replyId); replies++)
            {
                if (replies == MaxReplies)
                {
                    return PlaceResult.Rejected("confirmation_loop", $"IBKR kept asking for confirmation after {MaxReplies} replies.");
                }

                answer = await SendAsync(HttpMethod.Post, $"iserver/reply/{replyId}", new JsonObject { ["confirmed"] = true }, cancellationToken);
            }

            if (answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() > 0 && answer[0].TryGetProperty("order_id", out var id))
            {
                return PlaceResult.Accepted(id.ToString(), answer[0].TryGetProperty("order_status", out var s) ? s.GetString() : null);
            }

            var error = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var e) ? e.GetString() ?? "" : answer.ToString();
            if (error.Contains("Local order ID", StringComparison.OrdinalIgnoreCase))
            {
                // This cOID was placed before (a retry after a lost answer): the order exists.
                var existing = await GetOrderAsync(order, cancellationToken);
                return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this client order id");
            }

            return PlaceResult.Rejected("rejected", error);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (SessionExpiredException ex)
        {
            return PlaceResult.Rejected("session", ex.Message + " Log in to the Client Portal Gateway again.");
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"The broker is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, cancellationToken);
        var rows = list.ValueKind == JsonValueKind.Object && list.TryGetProperty("orders", out var o) ? o : list;
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw new BrokerException("IBKR answered the order query without an orders list.");
        }

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows.EnumerateArray())
        {
            // Working orders: Submitted, PreSubmitted, PendingSubmit, PendingCancel; the rest are done or never live.
            var status = row.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status is not ("Submitted" or "PreSubmitted" or "PendingSubmit" or "PendingCancel"))
            {
                continue;
            }

            var total = Number(row, "totalSize") ?? 0m;
            var filled = Number(row, "filledQuantity") ?? 0m;
            orders.Add(new BrokerOpenOrder(
                row.GetProperty("orderId").ToString(), row.TryGetProperty("order_ref", out var r) ? r.GetString() : null,
                (row.TryGetProperty("ticker", out var t) ? t.GetString() ?? "" : "").ToUpperInvariant(),
                row.TryGetProperty("side", out var side) && string.Equals(side.GetString(), "SELL", StringComparison.OrdinalIgnoreCase) ? "sell" : "buy",
                total, Number(row, "remainingQuantity") ?? total - filled));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, cancellationToken);
        var orders = list.ValueKind == JsonValueKind.Object && list.TryGetProperty("orders", out var o) ? o : list;
        if (orders.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var match = orders.EnumerateArray().FirstOrDefault(x => x.TryGetProperty("order_ref", out var r) && r.GetString() == order.ClientOrderId);
        if (match.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var orderId = match.GetProperty("orderId").ToString();
        var status = await SendAsync(HttpMethod.Get, $"iserver/account/order/status/{orderId}", null, cancellationToken);
        var text = status.GetProperty("order_status").GetString() ?? "";
        var filled = Number(status, "cum_fill") ?? 0m;
        var total = Number(status, "total_size") ?? order.Quantity;
        var mapped = text switch
        {
            "Filled" => "filled",
            "Cancelled" or "Inactive" => "cancelled",
            _ when filled > 0m && filled < total => "partially_filled",
            _ => "accepted",
        };
        return new BrokerOrderStatus(orderId, mapped, filled, Number(status, "average_price"), text);
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = await GetOrderAsync(order, cancellationToken);
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "IBKR has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"iserver/account/{Account(order)}/order/{existing.BrokerOrderId}", null, cancellationToken);
        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var error)
            ? PlaceResult.Rejected("cancel_refused", error.GetString() ?? "cancel refused")
            : PlaceResult.Accepted(existing.BrokerOrderId);
    }

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:InteractiveBrokers:AccountId is not configured.");

        // The portfolio endpoints want the account list asked for first; pages hold 100 positions each.
        await SendAsync(HttpMethod.Get, "portfolio/accounts", null, cancellationToken);
        var positions = new List<BrokerPosition>();
        for (var page = 0; page < 50; page++)
        {
            var answer = await SendAsync(HttpMethod.Get, $"portfolio/{Uri.EscapeDataString(account)}/positions/{page}", null, cancellationToken);
            if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() == 0)
            {
                break;
            }

            foreach (var row in answer.EnumerateArray())
            {
                var quantity = Number(row, "position") ?? 0m;
                if (quantity != 0m)
                {
                    var ticker = row.TryGetProperty("ticker", out var t) ? t.GetString() : row.TryGetProperty("contractDesc", out var d) ? d.GetString() : null;
                    positions.Add(new BrokerPosition((ticker ?? "").ToUpperInvariant(), quantity, Number(row, "avgPrice") ?? Number(row, "avgCost")));
                }
            }

            if (answer.GetArrayLength() < 100)
            {
                break;
            }
        }

        return positions;
    }

    private static JsonObject Ticket(BrokerOrder order, long conid)
    {
        var ticket = new JsonObject
        {
            ["conid"] = conid,
            ["orderType"] = order.OrderType switch
            {
                "market" => "MKT",
                "limit" => "LMT",
                "stop" => "STP",
                "stop_limit" => "STOP_LIMIT",
                _ => throw new UnsupportedOrderException("IBKR", "order type", order.OrderType),
            },
            ["side"] = Side(order.Side),
            ["quantity"] = BrokerNumbers.Canonical(order.Quantity),
            ["tif"] = order.TimeInForce switch
            {
                "day" => "DAY",
                "gtc" => "GTC",
                "ioc" => "IOC",
                _ => throw new UnsupportedOrderException("IBKR", "time in force", order.TimeInForce),
            },
            ["cOID"] = order.ClientOrderId,
            ["outsideRTH"] = false,
        };

        // IBKR's quirk: "price" is the limit price, but for a stop order it is the stop price;
        // a stop-limit carries its stop in "auxPrice".
        switch (order.OrderType)
        {
            case "limit":
                ticket["price"] = Price(order.LimitPrice);
                break;
            case "stop":
                ticket["price"] = Price(order.StopPrice);
                break;
            case "stop_limit":
                ticket["price"] = Price(order.LimitPrice);
                ticket["auxPrice"] = Price(order.StopPrice);
                break;
        }

        return ticket;
    }

    private async Task<long?> ConidAsync(string symbol, CancellationToken cancellationToken)
    {
        var ticker = Ticker(symbol);
        if (_conids.TryGetValue(ticker, out var cached))
        {
            return cached;
        }

        var answer = await SendAsync(HttpMethod.Get, $"iserver/secdef/search?symbol={Uri.EscapeDataString(ticker)}&secType=STK", null, cancellationToken);
        if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() == 0)
        {
            return null;
        }

        // conid comes as a string in search answers and as a number in orders.
        var conid = long.Parse(answer[0].GetProperty("conid").ToString(), CultureInfo.InvariantCulture);
        _conids[ticker] = conid;
        return conid;
    }

    /// <summary>One request through the shared transport; <see cref="InteractiveBrokersSessionHandler"/> on the HttpClient keeps the gateway's session.</summary>
    private Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await RawAsync(method, path, body, ct), cancellationToken).AsTask();

    private async Task<JsonElement> RawAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = BrokerContent.Json(body.ToJsonString());
            }

            return request;
        }

        // Only a request that places or changes an order can have landed unseen; anything else is retried.
        var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get && ChangesOrders(path), cancellationToken);
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            // Still refused after the session handler renewed the session and repeated the request.
            throw new SessionExpiredException();
        }

        return answer.Body;
    }

    private static string Side(string side) => side switch
    {
        "buy" => "BUY",
        "sell" => "SELL",
        _ => throw new UnsupportedOrderException("IBKR", "side", side),
    };

    private static decimal? Price(decimal? price) => price is { } p ? BrokerNumbers.Canonical(p) : null;

    private string Account(BrokerOrder order) => _options.AccountId ?? order.Account;

    private static bool ChangesOrders(string path) => path.Contains("/orders", StringComparison.Ordinal) || path.Contains("/order/", StringComparison.Ordinal) || path.StartsWith("iserver/reply", StringComparison.Ordinal);

    private static bool IsPrompt(JsonElement answer, out string replyId)
    {
        replyId = "";
        if (answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() > 0 && answer[0].TryGetProperty("id", out var id) && answer[0].TryGetProperty("message", out _))
        {
            replyId = id.GetString()!;
            return true;
        }

        return false;
    }

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();

    private static decimal? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && decimal.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;


    private sealed class SessionExpiredException() : Exception("The IBKR gateway session expired.");
}
