using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AlgoSignal.Brokers.Bybit.Wire;
using AlgoSignal.Domain.Strategies;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers.Bybit;

/// <summary>
/// Bybit V5's private WebSocket (<c>/v5/private</c>): authenticated with <c>{"op":"auth","args":[apiKey, expires,
/// signature]}</c> where the signature is the hex HMAC-SHA256 of <c>GET/realtime{expires}</c>, subscribed to the
/// <c>order</c> and <c>execution</c> topics, kept open with <c>{"op":"ping"}</c> every <see cref="BybitOptions.PingSeconds"/>.
/// Order changes come from the <c>order</c> topic, whose cumulative quantities make a repeated message harmless; an
/// execution's own time (<c>execTime</c>) is kept as the moment the fill happened.
/// </summary>
public sealed class BybitOrderStream(IOptions<BybitOptions> options, TimeProvider time) : IBrokerOrderStream
{
    /// <summary>How far ahead the authentication's <c>expires</c> lies; Bybit refuses one already past.</summary>
    private static readonly TimeSpan AuthValidity = TimeSpan.FromSeconds(10);

    private readonly BybitOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _executionTimes = new(StringComparer.Ordinal);

    public string Name => BrokerNames.Bybit;

    /// <summary>Bybit pushes changes only: what changed while disconnected is polled once.</summary>
    public bool SendsSnapshot => false;

    public string Endpoint => _options.ResolvedStreamUrl is { } url ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "(none)";

    /// <summary>True when a private stream is configured or known for the REST host.</summary>
    public bool Configured => _options.ResolvedStreamUrl is not null && !string.IsNullOrEmpty(_options.ApiKey) && !string.IsNullOrEmpty(_options.ApiSecret);

    /// <summary>The authentication signature: lowercase hex HMAC-SHA256(secret, "GET/realtime" + expires).</summary>
    public static string Sign(string secret, long expiresMs) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("GET/realtime" + expiresMs.ToString(CultureInfo.InvariantCulture))));

    public async Task RunAsync(Func<BrokerOrderUpdate, CancellationToken, Task> onUpdate, Action onReady, CancellationToken cancellationToken)
    {
        var url = _options.ResolvedStreamUrl ?? throw new BrokerException("Bybit has no private stream configured (Brokers:Bybit:StreamUrl).");
        var key = _options.ApiKey ?? throw new BrokerException("Brokers:Bybit:ApiKey is not configured.");
        var secret = _options.ApiSecret ?? throw new BrokerException("Brokers:Bybit:ApiSecret is not configured.");
        var silence = TimeSpan.FromSeconds((_options.PingSeconds * 2) + 5);

        using var socket = new ClientWebSocket();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            await socket.ConnectAsync(url, connect.Token);
        }

        var expires = time.GetUtcNow().Add(AuthValidity).ToUnixTimeMilliseconds();
        await SendAsync(socket, new BybitStreamRequest("auth", [key, expires, Sign(secret, expires)]), cancellationToken);
        await ExpectAsync(socket, "auth", silence, cancellationToken);
        await SendAsync(socket, new BybitStreamRequest("subscribe", ["order", "execution"]), cancellationToken);
        await ExpectAsync(socket, "subscribe", silence, cancellationToken);
        onReady();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pings = PingAsync(socket, stop.Token);
        try
        {
            while (true)
            {
                var message = await ReceiveAsync(socket, silence, cancellationToken);
                if (message is null)
                {
                    // Closed by Bybit (maintenance, a new connection elsewhere): the caller reconnects.
                    return;
                }

                if (message.Topic is "execution" or "execution.linear" or "execution.inverse" or "execution.spot")
                {
                    foreach (var execution in Rows(message, BybitWireContext.Default.ListBybitExecution))
                    {
                        if (execution.OrderLinkId is { Length: > 0 } linkId && BybitTime.FromMilliseconds(execution.ExecTime) is { } executed)
                        {
                            _executionTimes.AddOrUpdate(linkId, executed, (_, before) => before < executed ? before : executed);
                        }
                    }

                    TrimExecutionTimes();
                }
                else if (message.Topic is "order" or "order.linear" or "order.inverse" or "order.spot")
                {
                    var sent = BybitTime.FromMilliseconds(message.CreationTime) ?? time.GetUtcNow();
                    foreach (var row in Rows(message, BybitWireContext.Default.ListBybitOrderRow))
                    {
                        var status = BybitAdapter.ToStatus(row);
                        var linkId = row.OrderLinkId is { Length: > 0 } link ? link : null;
                        var happened = linkId is not null && status.FilledQuantity > 0m && _executionTimes.TryRemove(linkId, out var executed)
                            ? executed
                            : status.UpdatedAt ?? sent;
                        await onUpdate(new BrokerOrderUpdate(linkId, status.BrokerOrderId, status, happened), cancellationToken);
                    }
                }
                else if (message.Success == false)
                {
                    throw new BrokerException($"Bybit's private stream refused a request: {message.RetMsg}");
                }

                // Anything else (pong, acknowledgements) only proves the connection alive, which the receive did.
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pings.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, close.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PingAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.PingSeconds), time);
        while (await timer.WaitForNextTickAsync(cancellationToken) && socket.State == WebSocketState.Open)
        {
            // Only this loop sends once subscribed, so sends never overlap.
            await SendAsync(socket, new BybitStreamRequest("ping"), cancellationToken);
        }
    }

    private void TrimExecutionTimes()
    {
        // An execution whose order update never came must not grow the map without bound.
        if (_executionTimes.Count > 10_000)
        {
            var cutoff = time.GetUtcNow().AddMinutes(-10);
            foreach (var (linkId, executed) in _executionTimes)
            {
                if (executed < cutoff)
                {
                    _executionTimes.TryRemove(linkId, out _);
                }
            }
        }
    }

    private static async Task ExpectAsync(ClientWebSocket socket, string op, TimeSpan silence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var answer = await ReceiveAsync(socket, silence, cancellationToken)
                ?? throw new BrokerException($"Bybit closed the private stream before answering {op}.");
            if (answer.Op != op)
            {
                continue;
            }

            if (answer.Success != true)
            {
                throw new BrokerException($"Bybit refused the private stream's {op}: {answer.RetMsg}");
            }

            return;
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, BybitStreamRequest message, CancellationToken cancellationToken) =>
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, BybitWireContext.Default.BybitStreamRequest), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>A topic's rows; rows in a shape Bybit does not document end the connection, and the caller reconnects and polls.</summary>
    private static List<T> Rows<T>(BybitStreamMessage message, JsonTypeInfo<List<T>> wire)
    {
        try
        {
            return (message.Data.ValueKind == JsonValueKind.Array ? message.Data.Deserialize(wire) : null)
                ?? throw new BrokerException($"Bybit's private stream sent a {message.Topic} message without its data list.");
        }
        catch (JsonException ex)
        {
            throw new BrokerException($"Bybit's private stream sent a {message.Topic} message in an unexpected shape: {ex.Message}");
        }
    }

    /// <summary>The next whole message, or null once the server closed; silence longer than <paramref name="silence"/> is a dead connection.</summary>
    private static async Task<BybitStreamMessage?> ReceiveAsync(ClientWebSocket socket, TimeSpan silence, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(silence);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), quiet.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > 1_048_576)
                {
                    throw new BrokerException("Bybit sent a private stream message over 1 MiB.");
                }

                if (result.EndOfMessage)
                {
                    try
                    {
                        return JsonSerializer.Deserialize(buffer.WrittenSpan, BybitWireContext.Default.BybitStreamMessage)
                            ?? throw new BrokerException("Bybit sent a private stream message that is null.");
                    }
                    catch (JsonException ex)
                    {
                        throw new BrokerException($"Bybit sent a private stream message that is not JSON in its shape: {ex.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"Bybit's private stream was silent for {silence.TotalSeconds:0} s.");
        }
    }
}
