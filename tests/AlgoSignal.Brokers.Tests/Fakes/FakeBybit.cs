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

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>
/// An in-process Bybit V5 that checks what Bybit checks — API key, the receive window against its own
/// clock, the HMAC of the exact bytes — and answers as Bybit does: retCode envelopes on HTTP 200,
/// 110072 for a reused orderLinkId, 429/5xx and slow answers on demand.
/// </summary>
public sealed partial class FakeBybit : IAsyncDisposable
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

    public void Fill(string orderLinkId, decimal price)
    {
        var order = Orders[orderLinkId];
        Orders[orderLinkId] = order with { Status = "Filled", CumExecQty = order.Qty, AvgPrice = price, UpdatedTime = Now() };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private long Now() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() + ClockOffsetMs;

    /// <summary>Positions the account holds beyond what its filled orders made (opened elsewhere: the app, another bot).</summary>
    public ConcurrentDictionary<string, decimal> OutsidePositions { get; } = new();
}
