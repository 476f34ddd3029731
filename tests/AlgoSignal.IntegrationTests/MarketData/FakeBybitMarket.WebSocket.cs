using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.MarketData;

// The public WebSocket: subscriptions acknowledged, klines pushed every 100 ms, pings answered.
public sealed partial class FakeBybitMarket
{
    private async Task ServeSocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var topics = new ConcurrentDictionary<string, byte>();
        var sending = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var pushing = PushAsync(socket, topics, sending, stop.Token);
        try
        {
            var buffer = new byte[16 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var op = document.RootElement.GetProperty("op").GetString();
                if (op == "ping")
                {
                    Interlocked.Increment(ref Pings);
                    await SendAsync(socket, sending, new { success = true, ret_msg = "pong", conn_id = "fake", op = "ping" }, stop.Token);
                    continue;
                }

                var accepted = true;
                string? reason = null;
                foreach (var topic in document.RootElement.GetProperty("args").EnumerateArray().Select(a => a.GetString()!))
                {
                    var parts = topic.Split('.');
                    if (op != "subscribe" || parts.Length != 3 || parts[0] != "kline" || !Intervals.Contains(parts[1]) || !Symbols.Contains(parts[2]))
                    {
                        accepted = false;
                        reason = $"error:handler not found,topic:{topic}";
                        continue;
                    }

                    Subscriptions.Enqueue(topic);
                    topics[topic] = 0;
                }

                await SendAsync(socket, sending, new { success = accepted, ret_msg = reason ?? "", conn_id = "fake", req_id = "", op }, stop.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await pushing;
        }
    }

    private static async Task PushAsync(WebSocket socket, ConcurrentDictionary<string, byte> topics, SemaphoreSlim sending, CancellationToken cancellationToken)
    {
        try
        {
            for (var tick = 1; !cancellationToken.IsCancellationRequested; tick++)
            {
                await Task.Delay(100, cancellationToken);
                foreach (var topic in topics.Keys)
                {
                    var interval = topic.Split('.')[1];
                    var length = (long)Length(interval).TotalMilliseconds;
                    var start = Now / length * length;
                    var close = 100 + (tick * 0.01);
                    await SendAsync(socket, sending, new
                    {
                        topic,
                        data = new[] { new { start, end = start + length - 1, interval, open = "100", close = S(close), high = S(Math.Max(100, close)), low = "99.5", volume = S(tick), turnover = S(tick * close), confirm = false, timestamp = Now } },
                        ts = Now,
                        type = "snapshot",
                    }, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sending, object message, CancellationToken cancellationToken)
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

    private static string S(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
