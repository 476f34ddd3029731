using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AlgoSignal.Brokers.TradeStation.Wire;
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
            var legs = new List<TradeStationOrderRequest>();
            if (order.TakeProfit is { } tp)
            {
                legs.Add(Leg(order, exit, "Limit", limit: tp, stop: null));
            }

            if (order.StopLoss is { } sl)
            {
                legs.Add(Leg(order, exit, "StopMarket", limit: null, stop: sl));
            }

            ticket = ticket with { OSOs = [new TradeStationOso("BRK", legs)] };
        }

        TradeStationPlaced? answer;
        try
        {
            answer = await SendAsync(HttpMethod.Post, "orderexecution/orders", JsonSerializer.SerializeToUtf8Bytes(ticket, TradeStationWireContext.Default.TradeStationOrderRequest), TradeStationWireContext.Default.TradeStationPlaced, cancellationToken);
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

        if (answer is null)
        {
            return PlaceResult.Unknown("TradeStation answered the order without a body; the order may have landed.");
        }

        if (answer.Errors is [var error, ..])
        {
            var message = error.Message ?? "";
            if (message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                var existing = await GetOrderAsync(order, cancellationToken);
                return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this OrderConfirmID");
            }

            return PlaceResult.Rejected(error.Error ?? "FAILED", message);
        }

        if (answer.Orders is not [var placed, ..])
        {
            // A non-2xx answer: {"Error":"BadRequest","Message":"…"}.
            return PlaceResult.Rejected(answer.Error ?? "error", answer.Message ?? "TradeStation refused the order without a reason.");
        }

        return placed.OrderID is { } orderId
            ? PlaceResult.Accepted(orderId, placed.Message)
            : PlaceResult.Unknown("TradeStation accepted the order without its OrderID; the order may have landed.");
    }

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/positions", null, TradeStationWireContext.Default.TradeStationPositions, cancellationToken);
        var rows = answer?.Positions ?? throw new BrokerException("TradeStation answered the position query without a Positions list.");

        var positions = new List<BrokerPosition>();
        foreach (var row in rows)
        {
            var quantity = Math.Abs(row.Quantity ?? 0m);
            if (quantity != 0m)
            {
                positions.Add(new BrokerPosition(row.Symbol ?? "", row.LongShort == "Short" ? -quantity : quantity, row.AveragePrice));
            }
        }

        return positions;
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/orders", null, TradeStationWireContext.Default.TradeStationOrders, cancellationToken);
        var rows = answer?.Orders ?? throw new BrokerException("TradeStation answered the order query without an Orders list.");

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows)
        {
            var status = ToStatus(row);
            if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled) || row.Legs is not [var leg, ..])
            {
                continue;
            }

            var quantity = leg.QuantityOrdered ?? 0m;
            orders.Add(new BrokerOpenOrder(
                status.BrokerOrderId, row.OrderConfirmID, leg.Symbol ?? "", leg.BuyOrSell is "BUY" or "BUYTOCOVER" or "Buy" ? "buy" : "sell", quantity, quantity - status.FilledQuantity));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        // By id when known; otherwise today's orders, matched by the confirm id TradeStation echoes back.
        var path = order.BrokerOrderId is { } id ? $"brokerage/accounts/{Account(order)}/orders/{id}" : $"brokerage/accounts/{Account(order)}/orders";
        var answer = await SendAsync(HttpMethod.Get, path, null, TradeStationWireContext.Default.TradeStationOrders, cancellationToken);
        var confirm = ConfirmId(order.ClientOrderId);
        var match = answer?.Orders?.FirstOrDefault(o => (order.BrokerOrderId is not null && o.OrderID == order.BrokerOrderId) || o.OrderConfirmID == confirm);
        return match is null ? null : ToStatus(match);
    }

    /// <summary>An order as the order list and the order stream both report it.</summary>
    private static BrokerOrderStatus ToStatus(TradeStationOrder order)
    {
        var status = order.Status ?? throw new BrokerException("TradeStation reported an order without its Status.");
        var filled = order.Legs is [var leg, ..] ? leg.ExecQuantity ?? 0m : 0m;
        var mapped = status switch
        {
            "FLL" => OrderStatuses.Filled,
            "FPR" => OrderStatuses.PartiallyFilled,
            "CAN" or "EXP" or "OUT" => OrderStatuses.Cancelled,
            "REJ" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        var changed = TradeStationTime.Parse(order.ClosedDateTime) ?? TradeStationTime.Parse(order.OpenedDateTime);
        return new BrokerOrderStatus(
            order.OrderID ?? throw new BrokerException("TradeStation reported an order without its OrderID."), mapped, filled, order.FilledPrice is > 0m and var price ? price : null, status, changed);
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

                TradeStationStreamLine message;
                try
                {
                    message = JsonSerializer.Deserialize(line, TradeStationWireContext.Default.TradeStationStreamLine)
                        ?? throw new BrokerException("TradeStation's order stream sent a null line.");
                }
                catch (JsonException ex)
                {
                    throw new BrokerException($"TradeStation's order stream sent a line that is not JSON in its shape: {ex.Message}");
                }

                if (message.StreamStatus is { } streamStatus)
                {
                    switch (streamStatus)
                    {
                        case "EndSnapshot" when !ready:
                            ready = true;
                            onReady();
                            break;
                        case "GoAway":
                            return;
                    }
                }
                else if (message.Error is { } error)
                {
                    throw new BrokerException($"TradeStation's order stream failed: {error} {message.Message}");
                }
                else if (message.OrderID is not null && message.Status is not null)
                {
                    var status = ToStatus(message);
                    await onUpdate(new BrokerOrderUpdate(message.OrderConfirmID, status.BrokerOrderId, status, status.UpdatedAt ?? _time.GetUtcNow()), cancellationToken);
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

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = order.BrokerOrderId ?? (await GetOrderAsync(order, cancellationToken))?.BrokerOrderId;
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "TradeStation has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"orderexecution/orders/{existing}", null, TradeStationWireContext.Default.TradeStationPlacedOrder, cancellationToken)
            ?? throw new BrokerException("TradeStation answered the cancel without a body.");
        return answer.Error is { } error
            ? PlaceResult.Rejected(error, answer.Message ?? "")
            : PlaceResult.Accepted(existing);
    }

    private TradeStationOrderRequest Ticket(BrokerOrder order)
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
        var duration = order.TimeInForce switch
        {
            "day" => "DAY",
            "gtc" => "GTC",
            "ioc" => "IOC",
            "fok" => "FOK",
            _ => throw new UnsupportedOrderException("TradeStation", "time in force", order.TimeInForce),
        };
        return Leg(order, action, type, order.LimitPrice, order.StopPrice) with
        {
            TimeInForce = new TradeStationTimeInForce(duration),
            Route = "Intelligent",
            OrderConfirmID = ConfirmId(order.ClientOrderId),
        };
    }

    // TradeStation takes numbers as strings.
    private TradeStationOrderRequest Leg(BrokerOrder order, string action, string type, decimal? limit, decimal? stop) => new()
    {
        AccountID = Account(order),
        Symbol = Ticker(order.Symbol),
        Quantity = BrokerNumbers.Text(order.Quantity),
        OrderType = type,
        TradeAction = action,
        TimeInForce = new TradeStationTimeInForce("GTC"),
        LimitPrice = limit is { } l && type is "Limit" or "StopLimit" ? BrokerNumbers.Text(l) : null,
        StopPrice = stop is { } s && type is "StopMarket" or "StopLimit" ? BrokerNumbers.Text(s) : null,
    };

    /// <summary>One call through the shared transport, read into <paramref name="wire"/> (null when the answer had no body).</summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
        where T : class =>
        await _pipeline.ExecuteAsync(
            async ct =>
            {
                HttpRequestMessage Build()
                {
                    var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                    {
                        request.Content = BrokerContent.Json(body);
                    }

                    return request;
                }

                // TradeStationAuthHandler has already refreshed the token and repeated the request once.
                var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, wire, ct);
                return answer.Status == HttpStatusCode.Unauthorized
                    ? throw new BrokerException("TradeStation refused the refreshed access token (401); check Brokers:TradeStation:ClientId/ClientSecret/RefreshToken.")
                    : answer.Body;
            },
            cancellationToken);

    private string Account(BrokerOrder order) => _options.AccountId ?? order.Account;

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();

}
