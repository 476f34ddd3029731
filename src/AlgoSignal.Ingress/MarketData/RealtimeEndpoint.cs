using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.Ingress.Api;
using AlgoSignal.MarketData.Realtime;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// <c>/ws/realtime</c> (CONTRACT §4): <c>subscribe</c> / <c>unsubscribe</c> with symbols and timeframes;
/// <c>realtime_data</c> pushed as bars change; malformed messages answered with <c>error</c>, the
/// connection kept. The API key comes as <c>X-Api-Key</c> or, for browsers, <c>?api_key=</c>.
/// </summary>
public static class RealtimeEndpoint
{
    private const int MaxMessageBytes = 16 * 1024;
    private const int MaxSubscriptions = 50;

    public static IEndpointRouteBuilder MapRealtimeEndpoint(this IEndpointRouteBuilder app)
    {
        app.Map("/ws/realtime", HandleAsync).WithTags("Market data");
        return app;
    }

    private static async Task HandleAsync(HttpContext http, RealtimeHub hub, AlgoSignal.Ingress.Security.ApiKeyGuard guard)
    {
        var key = http.Request.Headers[ApiKeyFilter.HeaderName].ToString() is { Length: > 0 } header ? header : http.Request.Query["api_key"].ToString();
        if (guard.Check(http, key) is { IsValid: false } refused)
        {
            await ApiKeyFilter.Refusal(http, refused).ExecuteAsync(http);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This is a WebSocket endpoint." }, http.RequestAborted);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var subscriber = new RealtimeSubscriber();
        var subscriptions = new Dictionary<StreamKey, Timeframe>();
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var sendLock = new SemaphoreSlim(1, 1);
        var pump = PumpAsync(socket, subscriber, sendLock, closing.Token);
        try
        {
            await ReceiveAsync(socket, hub, subscriber, subscriptions, sendLock, closing.Token);
        }
        finally
        {
            foreach (var subscription in subscriptions.Keys)
            {
                hub.Unsubscribe(subscription, subscriber);
            }

            subscriber.Complete();
            await closing.CancelAsync();
            await pump;
        }
    }

    private static async Task ReceiveAsync(
        WebSocket socket, RealtimeHub hub, RealtimeSubscriber subscriber, Dictionary<StreamKey, Timeframe> subscriptions, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", CancellationToken.None);
                    return;
                }
            }
            while (!result.EndOfMessage);

            var answer = Handle(message.ToArray(), hub, subscriber, subscriptions);
            await SendAsync(socket, sendLock, answer, cancellationToken);
        }
    }

    private static object Handle(byte[] message, RealtimeHub hub, RealtimeSubscriber subscriber, Dictionary<StreamKey, Timeframe> subscriptions)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(message);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Error($"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}.");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Error("Send {\"type\":\"subscribe\"|\"unsubscribe\",\"symbols\":[\"BINANCE:BTCUSDT\"],\"timeframes\":[\"1\"]}.");
        }

        var symbols = Strings(root, "symbols");
        var timeframes = Strings(root, "timeframes");
        if (symbols is null || symbols.Count == 0 || symbols.Any(s => !s.Contains(':', StringComparison.Ordinal) || s.Length > 64))
        {
            return Error("\"symbols\" must list EXCHANGE:SYMBOL names, e.g. [\"BINANCE:BTCUSDT\"].");
        }

        var parsed = new List<Timeframe>();
        foreach (var form in timeframes is { Count: > 0 } ? timeframes : ["1"])
        {
            if (!Timeframe.TryParse(form, out var timeframe))
            {
                return Error($"Timeframe \"{form}\" is not valid; use one of {string.Join(", ", Timeframe.Accepted)}.");
            }

            parsed.Add(timeframe);
        }

        var keys = symbols.SelectMany(s => parsed.Select(t => (Key: new StreamKey(s[..s.IndexOf(':', StringComparison.Ordinal)].ToUpperInvariant(), s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..].ToUpperInvariant(), t.Code), Timeframe: t))).ToList();
        switch (type.GetString())
        {
            case "subscribe":
                if (subscriptions.Count + keys.Count(k => !subscriptions.ContainsKey(k.Key)) > MaxSubscriptions)
                {
                    return Error($"At most {MaxSubscriptions} symbol/timeframe subscriptions per connection.");
                }

                foreach (var (key, timeframe) in keys.Where(k => !subscriptions.ContainsKey(k.Key)))
                {
                    subscriptions[key] = timeframe;
                    hub.Subscribe(key, timeframe, subscriber);
                }

                return new { type = "subscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() };
            case "unsubscribe":
                foreach (var (key, _) in keys.Where(k => subscriptions.Remove(k.Key)))
                {
                    hub.Unsubscribe(key, subscriber);
                }

                return new { type = "unsubscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() };
            default:
                return Error($"Unknown type \"{type.GetString()}\"; use subscribe or unsubscribe.");
        }
    }

    private static async Task PumpAsync(WebSocket socket, RealtimeSubscriber subscriber, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in subscriber.Updates.ReadAllAsync(cancellationToken))
            {
                object message = update.Bar is { } bar
                    ? new
                    {
                        type = "realtime_data",
                        symbol = update.Key.FullSymbol,
                        timeframe = update.Key.Timeframe,
                        data = new
                        {
                            price = bar.Close,
                            bar = new
                            {
                                time = bar.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                                open = bar.Open,
                                high = bar.High,
                                low = bar.Low,
                                close = bar.Close,
                                volume = bar.Volume,
                                forming = bar.IsForming,
                            },
                        },
                    }
                    : new { type = "error", symbol = update.Key.FullSymbol, timeframe = update.Key.Timeframe, message = update.Error };
                await SendAsync(socket, sendLock, message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away; the receive side cleans up.
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, object message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message));
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static object Error(string message) => new { type = "error", message };

    private static List<string>? Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!.Trim()).ToList()
            : null;
}
