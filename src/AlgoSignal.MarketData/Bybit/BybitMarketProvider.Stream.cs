using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;

namespace AlgoSignal.MarketData.Bybit;

// The live feed: the public WebSocket's kline topic, pinged every 20 s as Bybit asks.
public sealed partial class BybitMarketProvider
{
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(20);

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
}
