using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Bybit;

/// <summary>
/// Bybit's public V5 market data (README: market data providers): klines from <c>GET /v5/market/kline</c>
/// (newest first, at most 1,000 a request, paged back with <c>end</c>), open interest from
/// <c>GET /v5/market/open-interest</c> (at most 200 a page, paged with <c>cursor</c>), option tickers from
/// <c>GET /v5/market/tickers?category=option</c> for the put/call ratio, and the live feed from the public
/// WebSocket's <c>kline.{interval}.{symbol}</c> topic, pinged every 20 s as Bybit asks. Bybit answers errors
/// as HTTP 200 with a non-zero <c>retCode</c>; those are final, HTTP 5xx/429 and timeouts are transient.
/// Written against the documented REST and WebSocket shapes, which are small enough that Bybit's own SDKs
/// would add a dependency for four calls.
/// </summary>
public sealed class BybitMarketProvider(HttpClient http, IOptions<BybitMarketOptions> options, TimeProvider time) : IMarketDataProvider
{
    public const int KlinesPerRequest = 1_000;
    public const int OpenInterestPerRequest = 200;
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(20);

    public string Name => ProviderNames.Bybit;

    public async Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var interval = Interval(request.Timeframe, request.FullSymbol);
        var received = new List<Bar>();
        var byTime = new SortedDictionary<DateTimeOffset, Bar>();
        long? end = null;
        while (byTime.Count < request.Bars)
        {
            var limit = Math.Min(KlinesPerRequest, request.Bars - byTime.Count);
            var query = $"/v5/market/kline?category={settings.Category}&symbol={Uri.EscapeDataString(request.Symbol)}&interval={interval}&limit={limit}"
                + (end is { } e ? $"&end={e.ToString(CultureInfo.InvariantCulture)}" : "");
            using var document = await GetAsync(query, request.FullSymbol, cancellationToken);
            var list = document.RootElement.GetProperty("result").GetProperty("list");
            if (list.GetArrayLength() == 0)
            {
                break; // the start of the instrument's history
            }

            foreach (var row in list.EnumerateArray())
            {
                var bar = new Bar(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(row[0].GetString()!, CultureInfo.InvariantCulture)),
                    Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), Number(row[5]));
                received.Add(bar);
                byTime[bar.Time] = bar;
            }

            var oldest = byTime.Keys.First().ToUnixTimeMilliseconds();
            if (end is { } previous && oldest > previous)
            {
                break; // a page that brought nothing older
            }

            end = oldest - 1;
        }

        var now = time.GetUtcNow();
        var bars = byTime.Values.TakeLast(request.Bars).Select(b => b with { IsForming = b.Time + request.Timeframe.Length > now }).ToList();
        var first = bars.Count > 0 ? bars[0].Time : DateTimeOffset.MaxValue;
        return new TvSeries(bars, TradingSession.AlwaysOpen, HasVolume: true, $"Bybit {settings.Category} {request.Symbol}")
        {
            // Oldest first, as the quality score reads it; repeats across pages kept.
            Received = received.Where(b => b.Time >= first).OrderBy(b => b.Time).Select(b => b with { IsForming = b.Time + request.Timeframe.Length > now }).ToList(),
        };
    }

    public async Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var topic = $"kline.{Interval(request.Timeframe, request.FullSymbol)}.{request.Symbol}";
        using var socket = new ClientWebSocket();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
                await socket.ConnectAsync(new Uri(settings.WebSocketUrl), connecting.Token);
            }

            var sending = new SemaphoreSlim(1, 1);
            await SendAsync(socket, sending, new { op = "subscribe", args = new[] { topic } }, cancellationToken);
            var pinging = PingAsync(socket, sending, stop.Token);
            try
            {
                await ReceiveAsync(socket, topic, request, onBar, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await pinging;
            }
        }
        catch (WebSocketException ex)
        {
            throw new TvException("disconnected", $"The Bybit stream for {request.FullSymbol} dropped: {ex.Message}", transient: true, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"Bybit did not accept the stream for {request.FullSymbol} in time.", transient: true);
        }
    }

    public async Task<IReadOnlyList<OpenInterestPoint>> OpenInterestAsync(string exchange, string symbol, Timeframe interval, int limit, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Category is not ("linear" or "inverse"))
        {
            throw new TvException(ProviderErrors.NotSupported, $"Bybit publishes open interest for linear and inverse contracts, not for {settings.Category} (MarketData:Bybit:Category).");
        }

        var intervalTime = interval.Code switch
        {
            "5" => "5min",
            "15" => "15min",
            "30" => "30min",
            "60" => "1h",
            "240" => "4h",
            "1D" => "1d",
            _ => throw new TvException(ProviderErrors.NotSupported, $"Bybit keeps open interest per 5m, 15m, 30m, 1h, 4h or 1d, not per {interval.Code}."),
        };
        var points = new Dictionary<DateTimeOffset, OpenInterestPoint>();
        string? cursor = null;
        do
        {
            var query = $"/v5/market/open-interest?category={settings.Category}&symbol={Uri.EscapeDataString(symbol)}&intervalTime={intervalTime}&limit={Math.Min(OpenInterestPerRequest, limit - points.Count)}"
                + (cursor is { Length: > 0 } ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            using var document = await GetAsync(query, $"{exchange}:{symbol}", cancellationToken);
            var result = document.RootElement.GetProperty("result");
            var list = result.GetProperty("list");
            foreach (var row in list.EnumerateArray())
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(row.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
                points[at] = new OpenInterestPoint(at, Number(row.GetProperty("openInterest")));
            }

            cursor = list.GetArrayLength() > 0 && result.TryGetProperty("nextPageCursor", out var next) ? next.GetString() : null;
        }
        while (points.Count < limit && cursor is { Length: > 0 });

        return points.Values.OrderBy(p => p.Time).TakeLast(limit).ToList();
    }

    public async Task<PutCallRatio> PutCallRatioAsync(string baseCoin, CancellationToken cancellationToken)
    {
        using var document = await GetAsync($"/v5/market/tickers?category=option&baseCoin={Uri.EscapeDataString(baseCoin)}", $"{baseCoin} options", cancellationToken);
        double puts = 0, calls = 0;
        var count = 0;
        foreach (var ticker in document.RootElement.GetProperty("result").GetProperty("list").EnumerateArray())
        {
            // Option symbols read BASE-EXPIRY-STRIKE-C|P (USDT-settled ones add -USDT).
            var parts = ticker.GetProperty("symbol").GetString()!.Split('-');
            var openInterest = Number(ticker.GetProperty("openInterest"));
            if (parts.Length < 4 || !double.IsFinite(openInterest))
            {
                continue;
            }

            count++;
            if (parts[3] == "P")
            {
                puts += openInterest;
            }
            else if (parts[3] == "C")
            {
                calls += openInterest;
            }
        }

        if (count == 0 || calls == 0)
        {
            throw new TvException("symbol_error", $"Bybit lists no call open interest for {baseCoin} options; check the base coin (BTC, ETH, SOL).");
        }

        var at = document.RootElement.TryGetProperty("time", out var stamp) && stamp.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(stamp.GetInt64()) : time.GetUtcNow();
        return new PutCallRatio(baseCoin, Math.Round(puts / calls, 4), Math.Round(puts, 4), Math.Round(calls, 4), count, at);
    }

    /// <summary>Bybit's kline interval for a timeframe: minutes as a number, then D, W, M.</summary>
    public static string Interval(Timeframe timeframe, string symbol) => timeframe.Code switch
    {
        "1" or "3" or "5" or "15" or "30" or "60" or "120" or "240" => timeframe.Code,
        "1D" => "D",
        "1W" => "W",
        "1M" => "M",
        _ => throw new TvException("series_error", $"Bybit has no {timeframe.Code} klines for {symbol}; use 1, 3, 5, 15, 30, 60, 120, 240, 1D, 1W or 1M."),
    };

    private async Task<JsonDocument> GetAsync(string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(new Uri(settings.BaseUrl), pathAndQuery), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"Bybit did not answer for {what} within {settings.TimeoutSeconds} s.", transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw new TvException("disconnected", $"Bybit could not be reached for {what}: {ex.Message}", transient: true, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var transient = response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                throw new TvException("http_error", $"Bybit answered HTTP {(int)response.StatusCode} for {what}.", transient);
            }

            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new TvException("protocol_error", $"Bybit's answer for {what} is not JSON: {ex.Message}");
            }

            var root = document.RootElement;
            var code = root.TryGetProperty("retCode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -1;
            if (code != 0 || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                var message = root.TryGetProperty("retMsg", out var m) ? m.GetString() : null;
                document.Dispose();
                // 10001 is Bybit's "params error", which is what an unknown symbol gets.
                throw new TvException(code == 10001 ? "symbol_error" : "provider_error", $"Bybit refused {what}: {message ?? "no retMsg"} (retCode {code}).");
            }

            return document;
        }
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, string topic, TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            using var document = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
            var root = document.RootElement;
            if (root.TryGetProperty("op", out var op) && op.GetString() == "subscribe"
                && root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False)
            {
                throw new TvException("symbol_error", $"Bybit refused the stream for {request.FullSymbol}: {(root.TryGetProperty("ret_msg", out var why) ? why.GetString() : "no reason")}.");
            }

            if (!root.TryGetProperty("topic", out var t) || t.GetString() != topic || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                continue; // acknowledgements and pongs
            }

            foreach (var kline in data.EnumerateArray())
            {
                await onBar(new Bar(
                    DateTimeOffset.FromUnixTimeMilliseconds(kline.GetProperty("start").GetInt64()),
                    Number(kline.GetProperty("open")), Number(kline.GetProperty("high")), Number(kline.GetProperty("low")), Number(kline.GetProperty("close")),
                    Number(kline.GetProperty("volume")),
                    IsForming: !(kline.TryGetProperty("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True)));
            }
        }
    }

    private async Task PingAsync(ClientWebSocket socket, SemaphoreSlim sending, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PingEvery, time, cancellationToken);
                await SendAsync(socket, sending, new { op = "ping" }, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The receive loop reports why the stream ended.
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, SemaphoreSlim sending, object message, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    private static double Number(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : element.ValueKind == JsonValueKind.Number ? element.GetDouble()
        : double.NaN;
}
