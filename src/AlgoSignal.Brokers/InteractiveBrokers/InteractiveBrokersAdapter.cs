using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers.InteractiveBrokers.Wire;
using AlgoSignal.Domain.Orders;
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

            var orders = new List<IbkrOrderTicket> { Ticket(order, conid.Value) };
            var exit = Side(order.Side) == "BUY" ? "SELL" : "BUY";
            if (order.TakeProfit is { } tp)
            {
                orders.Add(Child(order, conid.Value, "LMT", exit, tp, "-tp"));
            }

            if (order.StopLoss is { } sl)
            {
                orders.Add(Child(order, conid.Value, "STP", exit, sl, "-sl"));
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new IbkrOrdersRequest(orders), IbkrWireContext.Default.IbkrOrdersRequest);
            var answer = await SendAsync(HttpMethod.Post, $"iserver/account/{Account(order)}/orders", body, IbkrWireContext.Default.IbkrRowsIbkrOrderReply, cancellationToken);

            // "Are you sure?" prompts must be answered at once, and may chain: bounded.
            for (var replies = 0; IsPrompt(answer, out var replyId); replies++)
            {
                if (replies == MaxReplies)
                {
                    return PlaceResult.Rejected("confirmation_loop", $"IBKR kept asking for confirmation after {MaxReplies} replies.");
                }

                answer = await SendAsync(
                    HttpMethod.Post, $"iserver/reply/{replyId}", JsonSerializer.SerializeToUtf8Bytes(new IbkrReplyRequest(true), IbkrWireContext.Default.IbkrReplyRequest),
                    IbkrWireContext.Default.IbkrRowsIbkrOrderReply, cancellationToken);
            }

            if (answer is null)
            {
                return PlaceResult.Unknown("The IBKR gateway answered the order without a body; the order may have landed.");
            }

            if (answer.Rows is [{ OrderId: { } id } placed, ..])
            {
                return PlaceResult.Accepted(id, placed.OrderStatus);
            }

            var error = answer.Error ?? "The IBKR gateway answered the order without an order id.";
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
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, IbkrWireContext.Default.IbkrRowsIbkrOrderRow, cancellationToken);
        var rows = list?.Rows ?? throw new BrokerException("IBKR answered the order query without an orders list.");

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows)
        {
            // Working orders: Submitted, PreSubmitted, PendingSubmit, PendingCancel; the rest are done or never live.
            if (row.Status is not ("Submitted" or "PreSubmitted" or "PendingSubmit" or "PendingCancel"))
            {
                continue;
            }

            var total = row.TotalSize ?? 0m;
            orders.Add(new BrokerOpenOrder(
                row.OrderId ?? throw new BrokerException("IBKR listed an order without its orderId."), row.OrderRef, (row.Ticker ?? "").ToUpperInvariant(),
                string.Equals(row.Side, "SELL", StringComparison.OrdinalIgnoreCase) ? "sell" : "buy", total, row.RemainingQuantity ?? total - (row.FilledQuantity ?? 0m)));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, IbkrWireContext.Default.IbkrRowsIbkrOrderRow, cancellationToken);
        var match = list?.Rows?.FirstOrDefault(x => x.OrderRef == order.ClientOrderId);
        if (match is null)
        {
            return null;
        }

        var orderId = match.OrderId ?? throw new BrokerException("IBKR listed an order without its orderId.");
        var status = await SendAsync(HttpMethod.Get, $"iserver/account/order/status/{orderId}", null, IbkrWireContext.Default.IbkrOrderStatus, cancellationToken)
            ?? throw new BrokerException("IBKR answered the order status without a body.");
        var text = status.OrderStatus ?? "";
        var filled = status.CumFill ?? 0m;
        var total = status.TotalSize ?? order.Quantity;
        var mapped = text switch
        {
            "Filled" => OrderStatuses.Filled,
            "Cancelled" or "Inactive" => OrderStatuses.Cancelled,
            _ when filled > 0m && filled < total => OrderStatuses.PartiallyFilled,
            _ => OrderStatuses.Accepted,
        };
        return new BrokerOrderStatus(orderId, mapped, filled, status.AveragePrice, text);
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = await GetOrderAsync(order, cancellationToken);
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "IBKR has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"iserver/account/{Account(order)}/order/{existing.BrokerOrderId}", null, IbkrWireContext.Default.IbkrCancelled, cancellationToken);
        return answer?.Error is { } error
            ? PlaceResult.Rejected("cancel_refused", error)
            : PlaceResult.Accepted(existing.BrokerOrderId);
    }

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:InteractiveBrokers:AccountId is not configured.");

        // The portfolio endpoints want the account list asked for first; pages hold 100 positions each.
        await SendAsync(HttpMethod.Get, "portfolio/accounts", null, IbkrWireContext.Default.JsonElement, cancellationToken);
        var positions = new List<BrokerPosition>();
        for (var page = 0; page < 50; page++)
        {
            var answer = await SendAsync(HttpMethod.Get, $"portfolio/{Uri.EscapeDataString(account)}/positions/{page}", null, IbkrWireContext.Default.IbkrRowsIbkrPosition, cancellationToken);
            if (answer?.Rows is not { Count: > 0 } rows)
            {
                break;
            }

            foreach (var row in rows)
            {
                var quantity = row.Position ?? 0m;
                if (quantity != 0m)
                {
                    positions.Add(new BrokerPosition((row.Ticker ?? row.ContractDesc ?? "").ToUpperInvariant(), quantity, row.AvgPrice ?? row.AvgCost));
                }
            }

            if (rows.Count < 100)
            {
                break;
            }
        }

        return positions;
    }

    private static IbkrOrderTicket Ticket(BrokerOrder order, long conid) => new()
    {
        Conid = conid,
        OrderType = order.OrderType switch
        {
            "market" => "MKT",
            "limit" => "LMT",
            "stop" => "STP",
            "stop_limit" => "STOP_LIMIT",
            _ => throw new UnsupportedOrderException("IBKR", "order type", order.OrderType),
        },
        Side = Side(order.Side),
        Quantity = BrokerNumbers.Canonical(order.Quantity),
        Tif = order.TimeInForce switch
        {
            "day" => "DAY",
            "gtc" => "GTC",
            "ioc" => "IOC",
            _ => throw new UnsupportedOrderException("IBKR", "time in force", order.TimeInForce),
        },
        COID = order.ClientOrderId,
        OutsideRTH = false,

        // IBKR's quirk: "price" is the limit price, but for a stop order it is the stop price;
        // a stop-limit carries its stop in "auxPrice".
        Price = order.OrderType switch
        {
            "limit" or "stop_limit" => Price(order.LimitPrice),
            "stop" => Price(order.StopPrice),
            _ => null,
        },
        AuxPrice = order.OrderType == "stop_limit" ? Price(order.StopPrice) : null,
    };

    /// <summary>A bracket child: good till cancelled, sent once its parent (by <c>cOID</c>) fills.</summary>
    private static IbkrOrderTicket Child(BrokerOrder order, long conid, string type, string side, decimal price, string suffix) => new()
    {
        Conid = conid,
        OrderType = type,
        Side = side,
        Quantity = BrokerNumbers.Canonical(order.Quantity),
        Price = BrokerNumbers.Canonical(price),
        Tif = "GTC",
        COID = order.ClientOrderId + suffix,
        ParentId = order.ClientOrderId,
    };

    private async Task<long?> ConidAsync(string symbol, CancellationToken cancellationToken)
    {
        var ticker = Ticker(symbol);
        if (_conids.TryGetValue(ticker, out var cached))
        {
            return cached;
        }

        var answer = await SendAsync(HttpMethod.Get, $"iserver/secdef/search?symbol={Uri.EscapeDataString(ticker)}&secType=STK", null, IbkrWireContext.Default.IbkrRowsIbkrContract, cancellationToken);
        if (answer?.Rows is not [var contract, ..])
        {
            return null;
        }

        // conid comes as a string in search answers and as a number in orders.
        if (!long.TryParse(contract.Conid, NumberStyles.Integer, CultureInfo.InvariantCulture, out var conid))
        {
            throw new BrokerException($"IBKR answered the contract search for {ticker} without a contract id.");
        }

        _conids[ticker] = conid;
        return conid;
    }

    /// <summary>One request through the shared transport, read into <paramref name="wire"/> (null when the answer had no body); <see cref="InteractiveBrokersSessionHandler"/> on the HttpClient keeps the gateway's session.</summary>
    private Task<T?> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await RawAsync(method, path, body, wire, ct), cancellationToken).AsTask();

    private async Task<T?> RawAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
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

        // Only a request that places or changes an order can have landed unseen; anything else is retried.
        var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get && ChangesOrders(path), wire, cancellationToken);
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

    private static bool IsPrompt(IbkrRows<IbkrOrderReply>? answer, out string replyId)
    {
        if (answer?.Rows is [{ Id: { } id, Message: not null }, ..])
        {
            replyId = id;
            return true;
        }

        replyId = "";
        return false;
    }

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();

    private sealed class SessionExpiredException() : Exception("The IBKR gateway session expired.");
}
