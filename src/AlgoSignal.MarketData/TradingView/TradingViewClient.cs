using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// Fetches OHLC history over TradingView's chart WebSocket: the request sequence, several messages per
/// frame, heartbeat echo, series arriving in several updates, paging past one page with
/// <c>request_more_data</c>, errors ending the request at once with their reason, and bounded retries
/// with backoff for timeouts and dropped connections.
/// </summary>
public sealed partial class TradingViewClient(TradingViewAuth auth, IOptions<TradingViewOptions> options, TimeProvider time, ILogger<TradingViewClient> logger)
{
    private static readonly string[] QuoteFields = ["ch", "chp", "lp", "volume", "description", "exchange", "type"];

    public async Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await FetchOnceAsync(request, settings, cancellationToken);
            }
            catch (TvException ex) when (ex.Transient && attempt < settings.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                LogRetry(logger, request.FullSymbol, attempt, ex.Kind, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Follows a symbol live: the newest bar and every update of it go to <paramref name="onBar"/> until
    /// cancelled. Returns when the connection ends (the caller reconnects); throws what the server names.
    /// </summary>
    public async Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = await auth.GetTokenAsync(cancellationToken);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", settings.Origin);
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
                await socket.ConnectAsync(new Uri(settings.WebSocketUrl), connecting.Token);
            }

            var session = new Session(socket, request with { Bars = 2 }, settings, time, onBar);
            await session.StartAsync(token, cancellationToken);
            await session.ReceiveAsync(cancellationToken);
        }
        catch (WebSocketException ex)
        {
            throw new TvException("disconnected", $"The TradingView stream for {request.FullSymbol} dropped: {ex.Message}", transient: true, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"TradingView did not accept the stream for {request.FullSymbol} in time.", transient: true);
        }
    }

    private async Task<TvSeries> FetchOnceAsync(TvRequest request, TradingViewOptions settings, CancellationToken cancellationToken)
    {
        var token = await auth.GetTokenAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", settings.Origin);
        try
        {
            await socket.ConnectAsync(new Uri(settings.WebSocketUrl), deadline.Token);
            var session = new Session(socket, request, settings, time);
            await session.StartAsync(token, deadline.Token);
            return await session.ReceiveAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"TradingView did not complete {request.FullSymbol} {request.Timeframe.Code} within {settings.TimeoutSeconds} s.", transient: true);
        }
        catch (WebSocketException ex)
        {
            throw new TvException("disconnected", $"The TradingView connection failed for {request.FullSymbol}: {ex.Message}", transient: true, ex);
        }
        finally
        {
            if (socket.State == WebSocketState.Open)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // Closing politely is a courtesy; the answer is already in hand.
                }
            }
        }
    }

    private static string SessionId(string prefix)
    {
        Span<char> letters = stackalloc char[12];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('a' + RandomNumberGenerator.GetInt32(26));
        }

        return prefix + new string(letters);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TradingView {Symbol}: attempt {Attempt} failed ({Kind}: {Error}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string symbol, int attempt, string kind, string error, double delayMs);

    /// <summary>One connection's conversation.</summary>
    private sealed class Session(ClientWebSocket socket, TvRequest request, TradingViewOptions settings, TimeProvider time, Func<Bar, Task>? onBar = null)
    {
        private readonly string _chart = SessionId("cs_");
        private readonly string _quote = SessionId("qs_");
        private readonly SortedDictionary<long, Bar> _bars = [];

        // Every history point as it arrived, repeats included: the quality score measures what the source
        // sent, not what the merge made of it (a duplicate merged away before scoring could never count).
        private readonly List<Bar> _received = [];
        private TradingSession? _session;
        private bool _hasVolume = true;
        private string? _description;
        private int _countAtLastPage;

        public async Task StartAsync(string token, CancellationToken cancellationToken)
        {
            var symbol = "=" + JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["symbol"] = request.FullSymbol,
                ["adjustment"] = "splits",
                ["session"] = request.ExtendedSession ? "extended" : "regular",
            });
            await SendAsync(TvFrame.Message("set_auth_token", token), cancellationToken);
            await SendAsync(TvFrame.Message("chart_create_session", _chart, ""), cancellationToken);
            await SendAsync(TvFrame.Message("quote_create_session", _quote), cancellationToken);
            await SendAsync(TvFrame.Message("quote_set_fields", [_quote, .. QuoteFields]), cancellationToken);
            await SendAsync(TvFrame.Message("quote_add_symbols", _quote, request.FullSymbol), cancellationToken);
            await SendAsync(TvFrame.Message("resolve_symbol", _chart, "symbol_1", symbol), cancellationToken);
            await SendAsync(TvFrame.Message("create_series", _chart, "s1", "s1", "symbol_1", request.Timeframe.Code, Math.Min(request.Bars, settings.PageSize)), cancellationToken);
        }

        public async Task<TvSeries> ReceiveAsync(CancellationToken cancellationToken)
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
                        throw new TvException("disconnected", $"TradingView closed the connection before {request.FullSymbol} was complete ({_bars.Count} bars so far).", transient: true);
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var frame = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                List<string> payloads;
                try
                {
                    payloads = TvFrame.Decode(frame);
                }
                catch (FormatException ex)
                {
                    throw new TvException("protocol_error", $"TradingView sent a frame that does not follow the protocol: {ex.Message}");
                }

                foreach (var payload in payloads)
                {
                    if (TvFrame.IsHeartbeat(payload))
                    {
                        await SendAsync(TvFrame.Encode(payload), cancellationToken);
                        continue;
                    }

                    if (await HandleAsync(payload, cancellationToken))
                    {
                        return Result();
                    }
                }
            }
        }

        /// <returns>True when the history is complete.</returns>
        private async Task<bool> HandleAsync(string payload, CancellationToken cancellationToken)
        {
            if (payload.Length == 0 || payload[0] != '{')
            {
                return false;
            }

            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (!root.TryGetProperty("m", out var methodElement))
            {
                // The server's hello ({"session_id":…}) and similar.
                return false;
            }

            var method = methodElement.GetString();
            var parameters = root.TryGetProperty("p", out var p) ? p : default;
            switch (method)
            {
                case "symbol_resolved":
                    ReadSymbol(parameters);
                    return false;
                case "timescale_update":
                case "du":
                    // "du" updates the forming bar: a new version of it, not a second bar.
                    var newest = ReadBars(parameters, history: method == "timescale_update");
                    if (onBar is not null && newest is { } bar)
                    {
                        await onBar(bar with { IsForming = bar.Time + request.Timeframe.Length > time.GetUtcNow() });
                    }

                    return false;
                case "series_completed":
                    if (onBar is not null)
                    {
                        // Streaming: the history is only the start; updates follow as "du".
                        return false;
                    }

                    if (_bars.Count >= request.Bars || _bars.Count == _countAtLastPage)
                    {
                        return true;
                    }

                    // Page further back; stop when a page brings nothing new (the history's start).
                    _countAtLastPage = _bars.Count;
                    await SendAsync(TvFrame.Message("request_more_data", _chart, "s1", Math.Min(request.Bars - _bars.Count, settings.PageSize)), cancellationToken);
                    return false;
                case "symbol_error":
                    throw new TvException("symbol_error", $"TradingView does not know {request.FullSymbol}{Detail(parameters)}. Check the exchange prefix (symbol search: GET /api/v1/symbols?q=).");
                case "series_error":
                    throw new TvException("series_error", $"TradingView could not build the {request.Timeframe.Code} series for {request.FullSymbol}{Detail(parameters)}.");
                case "critical_error":
                case "protocol_error":
                    throw new TvException(method, $"TradingView reported {method}{Detail(parameters)}.");
                default:
                    return false;
            }
        }

        private void ReadSymbol(JsonElement parameters)
        {
            if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() < 3 || parameters[2].ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var info = parameters[2];
            var sessionText = info.TryGetProperty("session", out var s) ? s.GetString() : null;
            var zone = info.TryGetProperty("timezone", out var z) ? z.GetString() : null;
            _session = TradingSession.TryParse(sessionText, zone);
            _description = info.TryGetProperty("description", out var d) ? d.GetString() : null;
            if (info.TryGetProperty("has_no_volume", out var noVolume) && noVolume.ValueKind == JsonValueKind.True)
            {
                _hasVolume = false;
            }
        }

        /// <returns>The newest bar of the update, if it carried any.</returns>
        private Bar? ReadBars(JsonElement parameters, bool history)
        {
            if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() < 2 || parameters[1].ValueKind != JsonValueKind.Object
                || !parameters[1].TryGetProperty("s1", out var series) || !series.TryGetProperty("s", out var points) || points.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            Bar? newest = null;

            foreach (var point in points.EnumerateArray())
            {
                if (!point.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() < 5)
                {
                    continue;
                }

                var seconds = (long)v[0].GetDouble();
                var volume = v.GetArrayLength() > 5 && v[5].ValueKind == JsonValueKind.Number ? v[5].GetDouble() : (double?)null;
                if (volume is null)
                {
                    _hasVolume = false;
                }

                // Repeated bars (updates of the forming one, overlapping pages) replace, never duplicate.
                var bar = new Bar(DateTimeOffset.FromUnixTimeSeconds(seconds), Number(v[1]), Number(v[2]), Number(v[3]), Number(v[4]), volume);
                _bars[seconds] = bar;
                if (history)
                {
                    _received.Add(bar);
                }
                if (newest is null || bar.Time >= newest.Time)
                {
                    newest = bar;
                }
            }

            return newest;
        }

        private TvSeries Result()
        {
            var now = time.GetUtcNow();
            var bars = _bars.Values.TakeLast(request.Bars).ToList();
            if (bars.Count > 0 && bars[^1].Time + request.Timeframe.Length > now)
            {
                bars[^1] = bars[^1] with { IsForming = true };
            }

            var received = bars.Count == 0 ? [] : _received.Where(b => b.Time >= bars[0].Time).Select(b => b.Time == bars[^1].Time ? b with { IsForming = bars[^1].IsForming } : b).ToList();
            if (!_hasVolume)
            {
                bars = bars.Select(b => b with { Volume = null }).ToList();
                received = received.Select(b => b with { Volume = null }).ToList();
            }

            return new TvSeries(bars, _session, _hasVolume, _description) { Received = received };
        }

        private Task SendAsync(string frame, CancellationToken cancellationToken) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

        private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.Number ? element.GetDouble() : double.NaN;

        private static string Detail(JsonElement parameters)
        {
            if (parameters.ValueKind != JsonValueKind.Array)
            {
                return "";
            }

            var texts = parameters.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).Where(t => t is { Length: > 0 } && !t.StartsWith("cs_", StringComparison.Ordinal)).ToList();
            return texts.Count == 0 ? "" : ": " + string.Join(", ", texts);
        }
    }
}
