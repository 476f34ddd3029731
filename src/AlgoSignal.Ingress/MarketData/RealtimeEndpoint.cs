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
/// <remarks>Here the connection: accepting, receiving, pumping updates out; what the messages say is in <c>RealtimeEndpoint.Messages.cs</c>.</remarks>
public static partial class RealtimeEndpoint
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
}
