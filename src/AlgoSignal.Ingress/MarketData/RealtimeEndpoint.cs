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
/// <c>/ws/realtime</c> (README: market data): <c>subscribe</c> / <c>unsubscribe</c> with symbols and timeframes;
/// <c>realtime_data</c> pushed as bars change, <c>status</c> when the upstream fails and recovers;
/// malformed messages answered with <c>error</c>, the connection kept. The API key comes as
/// <c>X-Api-Key</c> or, for browsers, <c>?api_key=</c>. Connections per key and upstream streams are
/// capped (<c>MarketData:Realtime:*</c>); a refusal is an <c>error</c> frame, and for a connection also
/// its close reason.
/// </summary>
public static class RealtimeEndpoint
{
    private const int MaxMessageBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapRealtimeEndpoint(this IEndpointRouteBuilder app)
    {
        app.Map("/ws/realtime", HandleAsync).WithTags("Market data").RequireRateLimiting(MarketDataRateLimitPolicy.Name);
        return app;
    }

    /// <summary>The key a realtime client presents: the header, or the query parameter browsers must use.</summary>
    public static string PresentedKey(HttpContext http) =>
        http.Request.Headers[ApiKeyFilter.HeaderName].ToString() is { Length: > 0 } header ? header : http.Request.Query["api_key"].ToString();

    private static async Task HandleAsync(
        HttpContext http, RealtimeHub hub, RealtimeConnections connections, VanishedClientLog vanished, AlgoSignal.Ingress.Security.ApiKeyGuard guard, IOptions<RealtimeOptions> options)
    {
        var key = PresentedKey(http);
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
        if (!connections.TryOpen(key))
        {
            // Accepted first so the client can read why: an HTTP refusal of the upgrade reaches most
            // WebSocket libraries as a bare status code.
            await RefuseAsync(socket, connections.MaxPerKey, http.RequestAborted);
            return;
        }

        var subscriber = new RealtimeSubscriber();
        var subscriptions = new Dictionary<StreamKey, Timeframe>();
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var sendLock = new SemaphoreSlim(1, 1);
        var pump = PumpAsync(socket, subscriber, sendLock, closing.Token);
        try
        {
            await ReceiveAsync(socket, new Connection(hub, subscriber, subscriptions, options.Value), sendLock, closing.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // Gone without the close handshake: the client's doing, not a fault here.
            vanished.Report(ex.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            vanished.Report("the connection was aborted");
        }
        finally
        {
            foreach (var subscription in subscriptions.Keys)
            {
                hub.Unsubscribe(subscription, subscriber);
            }

            connections.Close(key);
            subscriber.Complete();
            await closing.CancelAsync();
            await pump;
        }
    }

    private static async Task RefuseAsync(WebSocket socket, int maxPerKey, CancellationToken cancellationToken)
    {
        var message = $"Too many realtime connections for this API key: at most {maxPerKey} may be open at once (MarketData:Realtime:MaxConnectionsPerKey). Close one, or subscribe to more symbols on one connection.";
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Error(message))), WebSocketMessageType.Text, true, cancellationToken);
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, $"too many connections for this API key (max {maxPerKey})", cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // The client did not wait for the reason.
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, Connection connection, SemaphoreSlim sendLock, CancellationToken cancellationToken)
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

            var (answer, subscribed) = Handle(message.ToArray(), connection);
            await SendAsync(socket, sendLock, answer, cancellationToken);
            foreach (var key in subscribed)
            {
                // After "subscribed": a stream that is down says so now, not at its next failure.
                connection.Hub.Announce(key, connection.Subscriber);
            }
        }
    }

    private static (object Answer, IReadOnlyList<StreamKey> Subscribed) Handle(byte[] message, Connection connection)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(message);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (Error($"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}."), []);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return (Error("Send {\"type\":\"subscribe\"|\"unsubscribe\",\"symbols\":[\"BINANCE:BTCUSDT\"],\"timeframes\":[\"1\"]}."), []);
        }

        var symbols = Strings(root, "symbols");
        if (symbols is null || symbols.Count == 0)
        {
            return (Error("\"symbols\" must list EXCHANGE:SYMBOL names, e.g. [\"BINANCE:BTCUSDT\"]."), []);
        }

        var limit = connection.Options.MaxSubscriptionsPerConnection;
        if (symbols.Count > limit)
        {
            return (Error($"\"symbols\" lists {symbols.Count} names; at most {limit} subscriptions per connection."), []);
        }

        var parsedSymbols = new List<(string Exchange, string Symbol)>();
        for (var i = 0; i < symbols.Count; i++)
        {
            var colon = symbols[i].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !SymbolText.IsExchange(symbols[i][..colon]) || !SymbolText.IsSymbol(symbols[i][(colon + 1)..]))
            {
                return (Error($"\"symbols\"[{i}] must be EXCHANGE:SYMBOL with {SymbolText.Rule}, e.g. \"BINANCE:BTCUSDT\"."), []);
            }

            parsedSymbols.Add((symbols[i][..colon].ToUpperInvariant(), symbols[i][(colon + 1)..].ToUpperInvariant()));
        }

        var parsed = new List<Timeframe>();
        foreach (var form in Strings(root, "timeframes") is { Count: > 0 } timeframes ? timeframes : ["1"])
        {
            if (!Timeframe.TryParse(form, out var timeframe))
            {
                return (Error($"Timeframe {SymbolText.Quote(form)} is not valid; use one of {string.Join(", ", Timeframe.Accepted)}."), []);
            }

            parsed.Add(timeframe);
        }

        var keys = parsedSymbols.SelectMany(s => parsed.Select(t => (Key: new StreamKey(s.Exchange, s.Symbol, t.Code), Timeframe: t))).DistinctBy(k => k.Key).ToList();
        var subscriptions = connection.Subscriptions;
        switch (type.GetString())
        {
            case "subscribe":
                var adding = keys.Where(k => !subscriptions.ContainsKey(k.Key)).ToList();
                if (subscriptions.Count + adding.Count > limit)
                {
                    return (Error($"At most {limit} symbol/timeframe subscriptions per connection (MarketData:Realtime:MaxSubscriptionsPerConnection)."), []);
                }

                if (!connection.Hub.TrySubscribe(adding, connection.Subscriber))
                {
                    return (Error($"The server follows at most {connection.Hub.MaxStreams} symbol/timeframe streams for all clients together (MarketData:Realtime:MaxUpstreamStreams), and these would open more. Subscribe to a symbol already followed, or try again later."), []);
                }

                foreach (var (key, timeframe) in adding)
                {
                    subscriptions[key] = timeframe;
                }

                return (new { type = "subscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() }, adding.Select(k => k.Key).ToList());
            case "unsubscribe":
                foreach (var (key, _) in keys.Where(k => subscriptions.Remove(k.Key)))
                {
                    connection.Hub.Unsubscribe(key, connection.Subscriber);
                }

                return (new { type = "unsubscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() }, []);
            default:
                return (Error($"Unknown type {SymbolText.Quote(type.GetString())}; use subscribe or unsubscribe."), []);
        }
    }

    private static async Task PumpAsync(WebSocket socket, RealtimeSubscriber subscriber, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in subscriber.Updates.ReadAllAsync(cancellationToken))
            {
                await SendAsync(socket, sendLock, Frame(update), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The client went away; the receive side cleans up.
        }
    }

    private static object Frame(RealtimeUpdate update)
    {
        if (update.Bar is { } bar)
        {
            return new
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
            };
        }

        return update.State is { } state
            ? new { type = "status", symbol = update.Key.FullSymbol, timeframe = update.Key.Timeframe, state, reason = update.Reason, retry_in_ms = update.RetryInMs }
            : new { type = "error", symbol = update.Key.FullSymbol, timeframe = update.Key.Timeframe, message = update.Error };
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

    private sealed record Connection(RealtimeHub Hub, RealtimeSubscriber Subscriber, Dictionary<StreamKey, Timeframe> Subscriptions, RealtimeOptions Options);
}
