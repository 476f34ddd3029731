using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// An in-process Bybit V5 public market data service, strict as the documented API: <c>GET /v5/market/kline</c>
/// (category linear|inverse|spot, interval 1…720|D|W|M, limit 1–1000, newest first, <c>end</c> to page
/// back), <c>GET /v5/market/open-interest</c> (category linear|inverse, intervalTime 5min…1d, limit 1–200,
/// <c>nextPageCursor</c>), <c>GET /v5/market/tickers?category=option</c> (baseCoin or symbol required),
/// errors as HTTP 200 with retCode 10001, and the public WebSocket (<c>subscribe</c> to
/// <c>kline.{interval}.{symbol}</c>, acknowledged, pushed every 100 ms; <c>ping</c> answered).
/// It lists BTCUSDT and ETHUSDT (each with <see cref="History"/> bars); anything else is "Not supported symbols".
/// </summary>
public sealed partial class FakeBybitMarket : IAsyncDisposable
{
    public const int History = 2_500;
    public static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];
    private static readonly string[] Intervals = ["1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M"];
    private static readonly string[] OpenInterestIntervals = ["5min", "15min", "30min", "1h", "4h", "1d"];

    private readonly WebApplication _app;

    private FakeBybitMarket(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Subscriptions { get; } = new();

    public int Pings;

    /// <summary>The settings that point AlgoSignal's Bybit market data at this fake.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["MarketData:Bybit:BaseUrl"] = BaseAddress.ToString(),
        ["MarketData:Bybit:WebSocketUrl"] = $"ws://{BaseAddress.Authority}/v5/public/linear",
        ["MarketData:Bybit:TimeoutSeconds"] = "5",
    };

    public static async Task<FakeBybitMarket> StartAsync()
    {
        var app = LocalServer.CreateBuilder().Build();
        var fake = new FakeBybitMarket(app);
        app.UseWebSockets();
        app.MapGet("/v5/market/kline", fake.Kline);
        app.MapGet("/v5/market/open-interest", fake.OpenInterest);
        app.MapGet("/v5/market/tickers", fake.Tickers);
        app.Map("/v5/public/linear", fake.ServeSocketAsync);
        await app.StartAsync();
        fake.BaseAddress = LocalServer.AddressOf(app);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    private static IResult Error(string message) => Results.Json(new { retCode = 10001, retMsg = message, result = new { }, retExtInfo = new { }, time = Now });

    private static IResult Ok(object result) => Results.Json(new { retCode = 0, retMsg = "OK", result, retExtInfo = new { }, time = Now });

    private static TimeSpan Length(string interval) => interval switch
    {
        "D" => TimeSpan.FromDays(1),
        "W" => TimeSpan.FromDays(7),
        "M" => TimeSpan.FromDays(30),
        _ => TimeSpan.FromMinutes(int.Parse(interval, CultureInfo.InvariantCulture)),
    };

    private IResult Kline(HttpContext http)
    {
        var q = http.Request.Query;
        Requests.Enqueue(http.Request.Path + http.Request.QueryString);
        var category = q["category"].ToString();
        if (category is not ("linear" or "inverse" or "spot"))
        {
            return Error("params error: category is invalid");
        }

        if (!Intervals.Contains(q["interval"].ToString()))
        {
            return Error("params error: interval is invalid");
        }

        if (!Symbols.Contains(q["symbol"].ToString()))
        {
            return Error("Not supported symbols");
        }

        var limit = q.ContainsKey("limit") ? int.Parse(q["limit"]!, CultureInfo.InvariantCulture) : 200;
        if (limit is < 1 or > 1000)
        {
            return Error("params error: limit must be 1-1000");
        }

        var bars = FakeTradingView.Bars(Length(q["interval"]!), History, TimeProvider.System.GetUtcNow());
        var end = q.ContainsKey("end") ? long.Parse(q["end"]!, CultureInfo.InvariantCulture) : long.MaxValue;
        var list = bars.Where(b => b.Time * 1000 <= end).Reverse().Take(limit)
            .Select(b => new[] { (b.Time * 1000).ToString(CultureInfo.InvariantCulture), S(b.O), S(b.H), S(b.L), S(b.C), S(b.V), S(b.V * b.C) }).ToList();
        return Ok(new { symbol = q["symbol"].ToString(), category, list });
    }

    private IResult OpenInterest(HttpContext http)
    {
        var q = http.Request.Query;
        Requests.Enqueue(http.Request.Path + http.Request.QueryString);
        if (q["category"].ToString() is not ("linear" or "inverse"))
        {
            return Error("params error: category is invalid");
        }

        var intervalTime = q["intervalTime"].ToString();
        if (!OpenInterestIntervals.Contains(intervalTime))
        {
            return Error("params error: intervalTime is invalid");
        }

        if (!Symbols.Contains(q["symbol"].ToString()))
        {
            return Error("Not supported symbols");
        }

        var limit = q.ContainsKey("limit") ? int.Parse(q["limit"]!, CultureInfo.InvariantCulture) : 50;
        if (limit is < 1 or > 200)
        {
            return Error("params error: limit must be 1-200");
        }

        var step = intervalTime switch { "5min" => 300, "15min" => 900, "30min" => 1_800, "1h" => 3_600, "4h" => 14_400, _ => 86_400 };
        var newest = Now / 1000 / step * step;
        var skip = q.ContainsKey("cursor") ? int.Parse(q["cursor"]!, CultureInfo.InvariantCulture) : 0;
        var list = Enumerable.Range(skip, limit).Select(i => newest - ((long)i * step))
            .Select(t => new { openInterest = S(50_000 + (t / step % 1_000)), timestamp = (t * 1000).ToString(CultureInfo.InvariantCulture) }).ToList();
        return Ok(new { symbol = q["symbol"].ToString(), category = q["category"].ToString(), list, nextPageCursor = (skip + limit).ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Option tickers for BTC: three puts and three calls with known open interest (puts 6, calls 12).</summary>
    private IResult Tickers(HttpContext http)
    {
        var q = http.Request.Query;
        Requests.Enqueue(http.Request.Path + http.Request.QueryString);
        if (q["category"].ToString() != "option")
        {
            return Error("params error: category is invalid");
        }

        if (string.IsNullOrEmpty(q["baseCoin"]) && string.IsNullOrEmpty(q["symbol"]))
        {
            return Error("params error: symbol or baseCoin is required");
        }

        var list = q["baseCoin"] == "BTC"
            ? new[] { ("BTC-26DEC26-90000-P", 1), ("BTC-26DEC26-100000-P", 2), ("BTC-26DEC26-110000-P-USDT", 3), ("BTC-26DEC26-90000-C", 5), ("BTC-26DEC26-100000-C", 4), ("BTC-26DEC26-110000-C-USDT", 3) }
                .Select(t => new { symbol = t.Item1, openInterest = S(t.Item2), markPrice = "1000", bid1Price = "990", ask1Price = "1010" }).ToArray()
            : [];
        return Ok(new { category = "option", list });
    }
}
