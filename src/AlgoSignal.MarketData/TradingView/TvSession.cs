using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// One connection's conversation with TradingView's chart WebSocket: the request sequence, several messages per frame,
/// heartbeat echo, paging with <c>request_more_data</c>, and errors ending the request with their reason; the bars
/// themselves are gathered by <see cref="TvSeriesBuilder"/>.
/// </summary>
internal sealed class TvSession(ClientWebSocket socket, TvRequest request, TradingViewOptions settings, TimeProvider time, Func<Bar, Task>? onBar = null)
{
    private static readonly string[] QuoteFields = ["ch", "chp", "lp", "volume", "description", "exchange", "type"];

    private readonly string _chart = SessionId("cs_");
    private readonly string _quote = SessionId("qs_");
    private readonly TvSeriesBuilder _series = new(request, time);
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
                    throw new TvException("disconnected", $"TradingView closed the connection before {request.FullSymbol} was complete ({_series.Count} bars so far).", transient: true);
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
                    return _series.Result();
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
                _series.ReadSymbol(parameters);
                return false;
            case "timescale_update":
            case "du":
                // "du" updates the forming bar: a new version of it, not a second bar.
                var newest = _series.ReadBars(parameters, history: method == "timescale_update");
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

                if (_series.Count >= request.Bars || _series.Count == _countAtLastPage)
                {
                    return true;
                }

                // Page further back; stop when a page brings nothing new (the history's start).
                _countAtLastPage = _series.Count;
                await SendAsync(TvFrame.Message("request_more_data", _chart, "s1", Math.Min(request.Bars - _series.Count, settings.PageSize)), cancellationToken);
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

    private Task SendAsync(string frame, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static string Detail(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var texts = parameters.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).Where(t => t is { Length: > 0 } && !t.StartsWith("cs_", StringComparison.Ordinal)).ToList();
        return texts.Count == 0 ? "" : ": " + string.Join(", ", texts);
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
}
