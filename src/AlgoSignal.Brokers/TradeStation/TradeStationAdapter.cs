using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoSignal.Domain.Orders;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary>
/// TradeStation v3: OAuth access tokens refreshed before they expire (a rotated refresh token is stored),
/// one refresh-and-retry on 401, orders with <c>OrderConfirmID</c> (≤ 22 characters, which TradeStation
/// uses to refuse a duplicate), <c>TradeAction</c> by the order's intent (SELLSHORT opens a short,
/// BUYTOCOVER closes it) and take-profit/stop-loss as an OSO of type BRK.
/// </summary>
public sealed class TradeStationAdapter : IBrokerAdapter, IBrokerOrderStream
{
    private const string BrokerName = "tradestation";

    private readonly HttpClient _http;
    private readonly TradeStationOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    private readonly BrokerTransport _transport;

    /// <summary>An adapter on <paramref name="http"/>, which carries <see cref="TradeStationAuthHandler"/> (the registration puts it there).</summary>
    public TradeStationAdapter(HttpClient http, IOptions<TradeStationOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");

        // Each call sets its own time-out; the order stream stays open for hours.
        _http.Timeout = Timeout.InfiniteTimeSpan;

        // TradeStation allows 250 requests per 5 minutes per category.
        _transport = new BrokerTransport(
            _http,
            "TradeStation",
            new System.Threading.RateLimiting.TokenBucketRateLimiter(new System.Threading.RateLimiting.TokenBucketRateLimiterOptions
            {
                TokenLimit = 250,
                TokensPerPeriod = 5,
                ReplenishmentPeriod = TimeSpan.FromSeconds(6),
                QueueLimit = 1_000,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));
        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => BrokerName;

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { "market", "limit", "stop", "stop_limit" }, new HashSet<string> { "day", "gtc", "ioc", "fok" }, Brackets: true, Short: true)
    {
        // TradeStation allows 250 requests per 5 minutes (50 a minute) per category, shared with new orders: polling takes at most 20 of them.
        PollsPerMinute = 20,
    };

    /// <summary>TradeStation's confirm id is 1–22 characters: the client order id's first 22 (80 random bits).</summary>
    public static string ConfirmId(string clientOrderId) => clientOrderId.Length <= 22 ? clientOrderId : clientOrderId[..22];

    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("TradeStation", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        var ticket = Ticket(order);
        if (order.TakeProfit is not null || order.StopLoss is not null)
        {
            var exit = order.Side == "buy" ? "SELL" : "BUYTOCOVER";
            var legs = new JsonArray();
            if (order.TakeProfit is { } tp)
            {
                legs.Add(Leg(order, exit, "Limit", limit: tp, stop: null));
            }

            if (order.StopLoss is { } sl)
            {
                legs.Add(Leg(order, exit, "StopMarket", limit: null, stop: sl));
            }

            ticket["OSOs"] = new JsonArray { new JsonObject { ["Type"] = "BRK", ["Orders"] = legs } };
        }

        JsonElement answer;
        try
        {
            answer = await SendAsync(HttpMethod.Post, "orderexecution/orders", ticket, cancellationToken);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"The broker is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }

        if (answer.TryGetProperty("Errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var message = errors[0].TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";
            if (message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                var existing = await GetOrderAsync(order, cancellationToken);
                return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this OrderConfirmID");
            }

            return PlaceResult.Rejected(errors[0].TryGetProperty("Error", out var e) ? e.GetString() : "FAILED", message);
        }

        if (!answer.TryGetProperty("Orders", out var accepted) || accepted.GetArrayLength() == 0)
        {
            // A non-2xx answer: {"Error":"BadRequest","Message":"…"}.
            return PlaceResult.Rejected(answer.TryGetProperty("Error", out var code) ? code.GetString() : "error", answer.TryGetProperty("Message", out var text) ? text.GetString() ?? answer.ToString() : answer.ToString());
        }

        var placed = accepted[0];
        return PlaceResult.Accepted(placed.GetProperty("OrderID").GetString(), placed.TryGetProperty("Message", out var msg) ? msg.GetString() : null);
    }

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/positions", null, cancellationToken);
        if (!answer.TryGetProperty("Positions", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new BrokerException("TradeStation answered the position query without a Positions list.");
        }

        var positions = new List<BrokerPosition>();
        foreach (var row in rows.EnumerateArray())
        {
            var quantity = Math.Abs(Number(row, "Quantity") ?? 0m);
            var shortSide = row.TryGetProperty("LongShort", out var side) && side.GetString() == "Short";
            if (quantity != 0m)
            {
                positions.Add(new BrokerPosition(row.GetProperty("Symbol").GetString() ?? "", shortSide ? -quantity : quantity, Number(row, "AveragePrice")));
            }
        }

        return positions;
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/orders", null, cancellationToken);
        if (!answer.TryGetProperty("Orders", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new BrokerException("TradeStation answered the order query without an Orders list.");
        }

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows.EnumerateArray())
        {
            var status = ParseOrder(row);
            if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled)
                || !row.TryGetProperty("Legs", out var legs) || legs.ValueKind != JsonValueKind.Array || legs.GetArrayLength() == 0)
            {
                continue;
            }

            var leg = legs[0];
            var quantity = Number(leg, "QuantityOrdered") ?? 0m;
            var action = leg.TryGetProperty("BuyOrSell", out var b) ? b.GetString() : null;
            orders.Add(new BrokerOpenOrder(
                status.BrokerOrderId, row.TryGetProperty("OrderConfirmID", out var c) ? c.GetString() : null, (leg.TryGetProperty("Symbol", out var sym) ? sym.GetString() : null) ?? "",
                action is "BUY" or "BUYTOCOVER" or "Buy" ? "buy" : "sell", quantity, quantity - status.FilledQuantity));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        // By id when known; otherwise today's orders, matched by the confirm id TradeStation echoes back.
        var path = order.BrokerOrderId is { } id ? $"brokerage/accounts/{Account(order)}/orders/{id}" : $"brokerage/accounts/{Account(order)}/orders";
        var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        if (!answer.TryGetProperty("Orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var confirm = ConfirmId(order.ClientOrderId);
        var match = orders.EnumerateArray().FirstOrDefault(o =>
            (order.BrokerOrderId is not null && o.GetProperty("OrderID").GetString() == order.BrokerOrderId)
            || (o.TryGetProperty("OrderConfirmID", out var c) && c.GetString() == confirm));
        if (match.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        return ParseOrder(match);
    }

    /// <summary>An order as the order list and the order stream both report it.</summary>
    public static BrokerOrderStatus ParseOrder(JsonElement order)
    {
        var status = order.GetProperty("Status").GetString() ?? "";
        var filled = order.TryGetProperty("Legs", out var legs) && legs.ValueKind == JsonValueKind.Array && legs.GetArrayLength() > 0 ? Number(legs[0], "ExecQuantity") ?? 0m : 0m;
        var mapped = status switch
        {
            "FLL" => OrderStatuses.Filled,
            "FPR" => OrderStatuses.PartiallyFilled,
            "CAN" or "EXP" or "OUT" => OrderStatuses.Cancelled,
            "REJ" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        var changed = Time(order, "ClosedDateTime") ?? Time(order, "OpenedDateTime");
        return new BrokerOrderStatus(order.GetProperty("OrderID").GetString()!, mapped, filled, Number(order, "FilledPrice") is > 0m and var price ? price : null, status, changed);
    }

    /// <summary>Every connection starts with the account's orders, so nothing missed while disconnected needs a poll.</summary>
    public bool SendsSnapshot => true;

    public string Endpoint => new Uri(_http.BaseAddress!, "brokerage/stream/accounts/*/orders") is var url ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "";

    /// <summary>
    /// TradeStation's order stream (<c>GET /brokerage/stream/accounts/{accounts}/orders</c>): newline-delimited JSON over
    /// a chunked answer — first every open and recent order, then <c>{"StreamStatus":"EndSnapshot"}</c>, then each change;
    /// <c>{"Heartbeat":…}</c> while idle, <c>{"StreamStatus":"GoAway"}</c> when the server wants a reconnect.
    /// </summary>
    public async Task RunAsync(Func<BrokerOrderUpdate, CancellationToken, Task> onUpdate, Action onReady, CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var path = $"brokerage/stream/accounts/{Uri.EscapeDataString(account)}/orders";
        using (var response = await OpenStreamAsync(path, cancellationToken))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new BrokerException($"TradeStation answered HTTP {(int)response.StatusCode} to the order stream.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            var silence = TimeSpan.FromSeconds(_options.StreamIdleSeconds);
            var ready = false;
            while (true)
            {
                string? line;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    quiet.CancelAfter(silence);
                    try
                    {
                        line = await reader.ReadLineAsync(quiet.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new BrokerException($"TradeStation's order stream was silent for {silence.TotalSeconds:0} s.");
                    }
                }

                if (line is null)
                {
                    return;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                JsonElement message;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    message = document.RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw new BrokerException($"TradeStation's order stream sent a line that is not JSON: {ex.Message}");
                }

                if (message.TryGetProperty("StreamStatus", out var streamStatus))
                {
                    switch (streamStatus.GetString())
                    {
                        case "EndSnapshot" when !ready:
                            ready = true;
                            onReady();
                            break;
                        case "GoAway":
                            return;
                    }
                }
                else if (message.TryGetProperty("Error", out var error))
                {
                    throw new BrokerException($"TradeStation's order stream failed: {error.GetString()} {(message.TryGetProperty("Message", out var m) ? m.GetString() : "")}");
                }
                else if (message.TryGetProperty("OrderID", out _) && message.TryGetProperty("Status", out _))
                {
                    var status = ParseOrder(message);
                    var confirm = message.TryGetProperty("OrderConfirmID", out var c) ? c.GetString() : null;
                    await onUpdate(new BrokerOrderUpdate(confirm, status.BrokerOrderId, status, status.UpdatedAt ?? _time.GetUtcNow()), cancellationToken);
                }

                // Heartbeats only prove the stream alive, which reading them did.
            }
        }
    }

    private async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.tradestation.streams.v3+json"));
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"TradeStation did not open the order stream within {_options.TimeoutSeconds} s.");
        }
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = order.BrokerOrderId ?? (await GetOrderAsync(order, cancellationToken))?.BrokerOrderId;
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "TradeStation has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"orderexecution/orders/{existing}", null, cancellationToken);
        return answer.TryGetProperty("Error", out var error)
            ? PlaceResult.Rejected(error.GetString(), answer.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "")
            : PlaceResult.Accepted(existing);
    }

    private JsonObject Ticket(BrokerOrder order)
    {
        var action = (order.Side, order.ReduceOnly) switch
        {
            ("buy", false) => "BUY",
            ("buy", true) => "BUYTOCOVER",
            ("sell", true) => "SELL",
            ("sell", false) => "SELLSHORT",
            _ => throw new UnsupportedOrderException("TradeStation", "side", order.Side),
        };
        var type = order.OrderType switch
        {
            "market" => "Market",
            "limit" => "Limit",
            "stop" => "StopMarket",
            "stop_limit" => "StopLimit",
            _ => throw new UnsupportedOrderException("TradeStation", "order type", order.OrderType),
        };
        var ticket = Leg(order, action, type, order.LimitPrice, order.StopPrice);
        ticket["TimeInForce"] = new JsonObject
        {
            ["Duration"] = order.TimeInForce switch
            {
                "day" => "DAY",
                "gtc" => "GTC",
                "ioc" => "IOC",
                "fok" => "FOK",
                _ => throw new UnsupportedOrderException("TradeStation", "time in force", order.TimeInForce),
            },
        };
        ticket["Route"] = "Intelligent";
        ticket["OrderConfirmID"] = ConfirmId(order.ClientOrderId);
        return ticket;
    }

    private JsonObject Leg(BrokerOrder order, string action, string type, decimal? limit, decimal? stop)
    {
        // TradeStation takes numbers as strings.
        var leg = new JsonObject
        {
            ["AccountID"] = Account(order),
            ["Symbol"] = Ticker(order.Symbol),
            ["Quantity"] = BrokerNumbers.Text(order.Quantity),
            ["OrderType"] = type,
            ["TradeAction"] = action,
            ["TimeInForce"] = new JsonObject { ["Duration"] = "GTC" },
        };
        if (limit is { } l && type is "Limit" or "StopLimit")
        {
            leg["LimitPrice"] = BrokerNumbers.Text(l);
        }

        if (stop is { } s && type is "StopMarket" or "StopLimit")
        {
            leg["StopPrice"] = BrokerNumbers.Text(s);
        }

        return leg;
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            async ct =>
            {
                // TradeStationAuthHandler has already refreshed the token and repeated the request once.
                var (status, answer) = await RawAsync(method, path, body, ct);
                return status == HttpStatusCode.Unauthorized
                    ? throw new BrokerException("TradeStation refused the refreshed access token (401); check Brokers:TradeStation:ClientId/ClientSecret/RefreshToken.")
                    : answer;
            },
            cancellationToken);

    private async Task<(HttpStatusCode Status, JsonElement Answer)> RawAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
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

        var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, cancellationToken);
        return (answer.Status, answer.Body);
    }

    private string Account(BrokerOrder order) => _options.AccountId ?? order.Account;

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();

    private static decimal? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && decimal.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

}
