using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>
/// An in-process Client Portal Gateway: the session (unauthenticated until <c>ssodh/init</c>, 401 once it
/// expires), contract search, orders with "are you sure" prompts answered through <c>/iserver/reply</c>,
/// an error for a reused <c>cOID</c>, statuses, cancel, and 429/5xx and slow answers on demand.
/// </summary>
public sealed class FakeInteractiveBrokers : IAsyncDisposable
{
    public const long AaplConid = 265598;
    public const decimal MarketPrice = 190m;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonElement[]> _pendingReplies = new();
    private bool _authenticated;
    private int _failNext;
    private CannedAnswer? _canned;
    private volatile bool _portfolioAccountsAsked;
    private int _failStatus;
    private int _hangNext;
    private long _nextOrderId = 1_000;

    private FakeInteractiveBrokers(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>Every request body as sent (the fake refuses bodies without a Content-Length).</summary>
    public ConcurrentQueue<string> RequestBodies { get; } = new();

    public ConcurrentDictionary<string, IbOrder> Orders { get; } = new();

    public int PlaceRequests;
    public int Replies;
    public int SessionInits;
    public int Tickles;

    public static async Task<FakeInteractiveBrokers> StartAsync()
    {
        var builder = LocalServer.CreateBuilder();
        var app = builder.Build();
        var fake = new FakeInteractiveBrokers(app);
        app.UseStrictRequestBodies(fake.RequestBodies);
        app.MapPost("/v1/api/iserver/auth/status", () => Results.Json(new { authenticated = fake._authenticated, connected = true, competing = false }));
        app.MapPost("/v1/api/iserver/auth/ssodh/init", () =>
        {
            Interlocked.Increment(ref fake.SessionInits);
            fake._authenticated = true;
            return Results.Json(new { authenticated = true, connected = true, competing = false });
        });
        app.MapPost("/v1/api/tickle", () =>
        {
            Interlocked.Increment(ref fake.Tickles);
            return Results.Json(new { session = "fake", iserver = new { authStatus = new { authenticated = fake._authenticated } } });
        });
        app.MapGet("/v1/api/portfolio/accounts", (Delegate)fake.Guarded(_ =>
        {
            fake._portfolioAccountsAsked = true;
            return Results.Json(new[] { new { id = "DU1234567", accountId = "DU1234567", type = "INDIVIDUAL" } });
        }));
        app.MapGet("/v1/api/portfolio/{account}/positions/{page}", (Delegate)fake.Guarded(fake.Positions));
        app.MapGet("/v1/api/iserver/accounts", (Delegate)fake.Guarded(_ => Results.Json(new { accounts = new[] { "DU1234567" }, selectedAccount = "DU1234567" })));
        app.MapGet("/v1/api/iserver/secdef/search", (Delegate)fake.Guarded(http => http.Request.Query["symbol"] is var s && (s == "AAPL" || s == "REJECT")
            ? Results.Json(new[] { new { conid = s == "AAPL" ? AaplConid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "999", symbol = s.ToString(), companyName = "Fake Inc.", sections = Array.Empty<object>() } })
            : Results.Json(Array.Empty<object>())));
        app.MapPost("/v1/api/iserver/account/{account}/orders", (Delegate)fake.PlaceAsync);
        app.MapPost("/v1/api/iserver/reply/{replyId}", (Delegate)fake.Reply);
        app.MapGet("/v1/api/iserver/account/orders", (Delegate)fake.Guarded(_ => Results.Json(new
        {
            orders = fake.Orders.Values.Select(o => new
            {
                acct = "DU1234567", conid = AaplConid, orderId = o.OrderId, order_ref = o.COid, status = o.Status, ticker = "AAPL", side = o.Side.ToUpperInvariant(),
                orderType = o.Type, totalSize = o.Quantity, filledQuantity = o.Filled, remainingQuantity = o.Quantity - o.Filled,
            }),
        })));
        app.MapGet("/v1/api/iserver/account/order/status/{orderId}", (Delegate)fake.Guarded(http =>
        {
            var order = fake.Orders.Values.First(o => o.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture) == http.Request.RouteValues["orderId"]!.ToString());
            return Results.Json(new { order_id = order.OrderId, order_status = order.Status, cum_fill = order.Filled.ToString(System.Globalization.CultureInfo.InvariantCulture), total_size = order.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture), average_price = order.AveragePrice.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }));
        app.MapDelete("/v1/api/iserver/account/{account}/order/{orderId}", (Delegate)fake.Guarded(http =>
        {
            var order = fake.Orders.Values.First(o => o.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture) == http.Request.RouteValues["orderId"]!.ToString());
            fake.Orders[order.COid] = order with { Status = "Cancelled" };
            return Results.Json(new { msg = "Request was submitted", order_id = order.OrderId });
        }));
        await app.StartAsync();
        fake.BaseAddress = new Uri(LocalServer.AddressOf(app), "/v1/api/");
        return fake;
    }

    public void ExpireSession() => _authenticated = false;

    /// <summary>The next placement is answered with <paramref name="answer"/> and not placed.</summary>
    public void AnswerNextPlacementWith(CannedAnswer answer) => Interlocked.Exchange(ref _canned, answer);

    public void FailNext(int count, int status)
    {
        _failStatus = status;
        Interlocked.Exchange(ref _failNext, count);
    }

    public void HangNextPlacement() => Interlocked.Exchange(ref _hangNext, 1);

    public void Fill(string cOid, decimal price)
    {
        var order = Orders[cOid];
        Orders[cOid] = order with { Status = "Filled", Filled = order.Quantity, AveragePrice = price };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Positions the account holds beyond what its filled orders made (opened in TWS, say).</summary>
    public ConcurrentDictionary<string, decimal> OutsidePositions { get; } = new();

    private IResult Positions(HttpContext http)
    {
        // The portfolio endpoints answer only after /portfolio/accounts was asked for.
        if (!_portfolioAccountsAsked)
        {
            return Results.Json(new { error = "call /portfolio/accounts first" }, statusCode: 400);
        }

        if (http.Request.RouteValues["page"]?.ToString() != "0")
        {
            return Results.Json(Array.Empty<object>());
        }

        var sizes = new Dictionary<string, decimal> { ["AAPL"] = Orders.Values.Sum(o => o.Side == "BUY" ? o.Filled : -o.Filled) };
        foreach (var (ticker, quantity) in OutsidePositions)
        {
            sizes[ticker] = sizes.GetValueOrDefault(ticker) + quantity;
        }

        return Results.Json(sizes.Where(kv => kv.Value != 0m).Select(kv => new
        {
            acctId = "DU1234567", conid = kv.Key == "AAPL" ? AaplConid : 1L, contractDesc = kv.Key, ticker = kv.Key, position = kv.Value, avgPrice = 190m, currency = "USD",
        }));
    }

    private Func<HttpContext, IResult> Guarded(Func<HttpContext, IResult> handler) => http =>
        _authenticated ? handler(http) : Results.Json(new { status = 401, error = "not authenticated", message = "not authenticated" }, statusCode: 401);

    private async Task<IResult> PlaceAsync(HttpContext http)
    {
        Interlocked.Increment(ref PlaceRequests);
        if (Interlocked.Exchange(ref _canned, null) is { } canned)
        {
            return canned.ToResult();
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            return Results.Json(new { error = "service unavailable" }, statusCode: _failStatus);
        }

        if (!_authenticated)
        {
            return Results.Json(new { status = 401, error = "not authenticated" }, statusCode: 401);
        }

        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var tickets = document.RootElement.GetProperty("orders").EnumerateArray().Select(t => t.Clone()).ToArray();
        if (tickets.Any(t => Orders.ContainsKey(t.GetProperty("cOID").GetString()!)))
        {
            return Results.Json(new { error = $"Order couldn't be submitted: Local order ID={tickets[0].GetProperty("cOID").GetString()} is already registered." });
        }

        if (tickets[0].GetProperty("conid").GetInt64() != AaplConid)
        {
            return Results.Json(new { error = "The contract is not available for trading." });
        }

        // IBKR asks "are you sure?" for market orders (precautionary settings): two prompts in a row.
        if (tickets[0].GetProperty("orderType").GetString() == "MKT")
        {
            var replyId = Guid.NewGuid().ToString("N");
            _pendingReplies[replyId] = tickets;
            return Results.Json(new[] { new { id = replyId, message = new[] { "You are submitting an order without market data. Are you sure?" }, isSuppressed = false, messageIds = new[] { "o354" } } });
        }

        return await AcceptAsync(tickets, http.RequestAborted);
    }

    private async Task<IResult> Reply(HttpContext http, string replyId)
    {
        Interlocked.Increment(ref Replies);
        if (!_pendingReplies.TryRemove(replyId, out var tickets))
        {
            return Results.Json(new { error = "reply id expired" });
        }

        if (Replies % 2 == 1)
        {
            // A second prompt before the order is accepted.
            var next = Guid.NewGuid().ToString("N");
            _pendingReplies[next] = tickets;
            return Results.Json(new[] { new { id = next, message = new[] { "This order will be directly routed. Are you sure?" }, isSuppressed = false, messageIds = new[] { "o10153" } } });
        }

        return await AcceptAsync(tickets, http.RequestAborted);
    }

    private async Task<IResult> AcceptAsync(JsonElement[] tickets, CancellationToken cancellationToken)
    {
        var answers = new List<object>();
        foreach (var ticket in tickets)
        {
            var type = ticket.GetProperty("orderType").GetString()!;
            var quantity = ticket.GetProperty("quantity").GetDecimal();
            var id = Interlocked.Increment(ref _nextOrderId);
            var order = new IbOrder(id, ticket.GetProperty("cOID").GetString()!, type, ticket.GetProperty("side").GetString()!, quantity,
                ticket.TryGetProperty("price", out var p) ? p.GetDecimal() : null, ticket.TryGetProperty("auxPrice", out var a) ? a.GetDecimal() : null,
                ticket.TryGetProperty("parentId", out var parent) ? parent.GetString() : null,
                type == "MKT" ? "Filled" : "Submitted", type == "MKT" ? quantity : 0m, type == "MKT" ? MarketPrice : 0m);
            Orders[order.COid] = order;
            answers.Add(new { order_id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), order_status = order.Status, encrypt_message = "1" });
        }

        if (Interlocked.Exchange(ref _hangNext, 0) == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return Results.Json(answers);
    }
}

public sealed record IbOrder(long OrderId, string COid, string Type, string Side, decimal Quantity, decimal? Price, decimal? AuxPrice, string? ParentId, string Status, decimal Filled, decimal AveragePrice);
