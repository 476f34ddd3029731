using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>Bybit's private WebSocket: what the fake pushes to subscribers and how it checks their authentication.</summary>
public sealed partial class FakeBybit
{
    /// <summary>The private WebSocket (<c>/v5/private</c>).</summary>
    public Uri StreamAddress => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/v5/private" }.Uri;

    /// <summary>Private-stream requests the fake refused, with Bybit's reason (bad signature, expired, not authorized …).</summary>
    public ConcurrentQueue<string> StreamRefusals { get; } = new();

    /// <summary>Connections authenticated and subscribed to the <c>order</c> topic right now.</summary>
    public int SubscribedStreams => _streams.Values.Count(c => c.Topics.ContainsKey("order"));

    /// <summary>Pings received on the private stream.</summary>
    public int StreamPings;

    private readonly ConcurrentDictionary<string, StreamConnection> _streams = new();
    private volatile bool _refuseStreams;

    /// <summary>
    /// Fills the order up to <paramref name="filledQuantity"/> (all of it by default) at <paramref name="price"/> and pushes the
    /// execution and the order's new state to subscribed private streams, <paramref name="pushes"/> times (a resent message).
    /// </summary>
    public async Task FillAsync(string orderLinkId, decimal price, decimal? filledQuantity = null, int pushes = 1)
    {
        var order = Orders[orderLinkId];
        var cumulative = filledQuantity ?? order.Qty;
        var executed = cumulative - order.CumExecQty;
        var average = cumulative == 0m ? 0m : ((order.AvgPrice * order.CumExecQty) + (price * executed)) / cumulative;
        var filled = order with { Status = cumulative >= order.Qty ? "Filled" : "PartiallyFilled", CumExecQty = cumulative, AvgPrice = average, UpdatedTime = Now() };
        Orders[orderLinkId] = filled;
        for (var i = 0; i < pushes; i++)
        {
            await PushAsync("execution", new
            {
                category = "linear", symbol = filled.Symbol, orderId = filled.OrderId, orderLinkId, side = filled.Side, orderType = filled.Type,
                execId = Guid.NewGuid().ToString(), execPrice = Text(price), execQty = Text(executed), execType = "Trade", execTime = Text(filled.UpdatedTime),
                leavesQty = Text(filled.Qty - cumulative), orderQty = Text(filled.Qty), orderPrice = Text(filled.Price ?? 0m), isMaker = false,
            });
            await PushAsync("order", OrderRow(filled));
        }
    }

    /// <summary>Pushes the order's current state again (a late or repeated message).</summary>
    public Task PushOrderAsync(string orderLinkId) => PushAsync("order", OrderRow(Orders[orderLinkId]));

    /// <summary>Cuts every private-stream connection; with <paramref name="refuseNew"/> new ones are refused until <see cref="AllowStreams"/>.</summary>
    public void DropStreams(bool refuseNew)
    {
        _refuseStreams = refuseNew;
        foreach (var connection in _streams.Values)
        {
            connection.Socket.Abort();
        }
    }

    public void AllowStreams() => _refuseStreams = false;

    private async Task PushAsync(string topic, object row)
    {
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id = Guid.NewGuid().ToString("N"), topic, creationTime = Now(), data = new[] { row } });
        foreach (var connection in _streams.Values.Where(c => c.Topics.ContainsKey(topic)))
        {
            await connection.SendAsync(message);
        }
    }

    /// <summary>
    /// Bybit V5's private WebSocket as documented: <c>auth</c> first (the key, an <c>expires</c> in the future, the hex
    /// HMAC-SHA256 of <c>GET/realtime{expires}</c>), then <c>subscribe</c> to private topics; <c>ping</c> answered with
    /// <c>pong</c>. A subscription before authentication, an expired or wrongly signed authentication and an unknown
    /// topic are refused with <c>success: false</c>.
    /// </summary>
    private async Task PrivateStreamAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        if (_refuseStreams)
        {
            http.Response.StatusCode = 503;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new StreamConnection(Guid.NewGuid().ToString(), socket);
        var authenticated = false;
        _streams[connection.Id] = connection;
        try
        {
            var buffer = new byte[16 * 1024];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    break;
                }

                if (!result.EndOfMessage)
                {
                    await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { success = false, ret_msg = "message too long", conn_id = connection.Id }));
                    continue;
                }

                using var request = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = request.RootElement;
                var op = root.TryGetProperty("op", out var o) ? o.GetString() : null;
                var reqId = root.TryGetProperty("req_id", out var r) ? r.GetString() : null;
                string? refusal = null;
                switch (op)
                {
                    case "auth":
                        refusal = CheckAuth(root);
                        authenticated = refusal is null;
                        break;
                    case "subscribe":
                        refusal = !authenticated ? "Request not authorized"
                            : root.GetProperty("args").EnumerateArray().Select(a => a.GetString()).FirstOrDefault(t => t is not ("order" or "execution" or "position" or "wallet")) is { } unknown
                                ? $"Invalid topic: {unknown}"
                                : null;
                        if (refusal is null)
                        {
                            foreach (var topic in root.GetProperty("args").EnumerateArray())
                            {
                                connection.Topics[topic.GetString()!] = true;
                            }
                        }

                        break;
                    case "ping":
                        Interlocked.Increment(ref StreamPings);
                        await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { req_id = reqId ?? "", op = "pong", args = new[] { Text(Now()) }, conn_id = connection.Id }));
                        continue;
                    default:
                        refusal = $"Invalid op: {op}";
                        break;
                }

                if (refusal is not null)
                {
                    StreamRefusals.Enqueue($"{op}: {refusal}");
                }

                await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { success = refusal is null, ret_msg = refusal ?? "", op, req_id = reqId ?? "", conn_id = connection.Id }));
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            // The client or the test cut the connection.
        }
        finally
        {
            _streams.TryRemove(connection.Id, out _);
        }
    }

    private string? CheckAuth(JsonElement root)
    {
        if (!root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array || args.GetArrayLength() != 3)
        {
            return "Params Error: args must be [apiKey, expires, signature]";
        }

        if (args[0].GetString() != ApiKey)
        {
            return "API key is invalid.";
        }

        if (!long.TryParse(args[1].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires))
        {
            return "Params Error: expires";
        }

        if (expires <= Now())
        {
            return "Params Error: request expired";
        }

        return args[2].GetString() == Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(ApiSecret), Encoding.UTF8.GetBytes("GET/realtime" + Text(expires))))
            ? null
            : "error sign! origin_string[GET/realtime" + Text(expires) + "]";
    }
}
