using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>TradeStation's order stream: what the fake pushes to open streams, with heartbeats and GoAway.</summary>
public sealed partial class FakeTradeStation
{
    /// <summary>Fills the order and pushes its new state to every open order stream.</summary>
    public void FillAndPush(string confirmId, decimal price)
    {
        Fill(confirmId, price);
        Push(View(Orders[confirmId]));
    }

    /// <summary>Order streams open right now (past their snapshot).</summary>
    public int OpenStreams => _streamWriters.Count;

    /// <summary>Order streams opened since the start.</summary>
    public int StreamsOpened;

    /// <summary>Heartbeats written on idle order streams since the start: how long a stream has been kept alive by them.</summary>
    public int HeartbeatsSent;

    /// <summary>Asks every open order stream to reconnect (<c>{"StreamStatus":"GoAway"}</c>).</summary>
    public void GoAway() => Push(GoAwayMessage);

    private static readonly object GoAwayMessage = new { StreamStatus = "GoAway" };

    /// <summary>Seconds between heartbeats on an idle order stream.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, System.Threading.Channels.ChannelWriter<object>> _streamWriters = new();

    private void Push(object message)
    {
        foreach (var writer in _streamWriters.Values)
        {
            writer.TryWrite(message);
        }
    }

    /// <summary>
    /// TradeStation's order stream: newline-delimited JSON on a chunked answer of type
    /// <c>application/vnd.tradestation.streams.v3+json</c> — the account's orders, <c>{"StreamStatus":"EndSnapshot"}</c>,
    /// then each change, heartbeats while idle, and <c>{"StreamStatus":"GoAway"}</c> before it ends a stream.
    /// </summary>
    private async Task StreamOrdersAsync(HttpContext http, string accounts)
    {
        if (Authorized(http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }

        if (string.IsNullOrWhiteSpace(accounts) || accounts.Split(',').Length > 25)
        {
            await Results.Json(new { Error = "BadRequest", Message = "1 to 25 comma-separated account ids are required." }, statusCode: 400).ExecuteAsync(http);
            return;
        }

        var channel = System.Threading.Channels.Channel.CreateUnbounded<object>();
        var id = Guid.NewGuid();
        http.Response.ContentType = "application/vnd.tradestation.streams.v3+json";
        var json = new JsonSerializerOptions { PropertyNamingPolicy = null };
        async Task WriteAsync(object message)
        {
            await http.Response.WriteAsync(JsonSerializer.Serialize(message, json) + "\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }

        try
        {
            foreach (var order in Orders.Values)
            {
                await WriteAsync(View(order));
            }

            await WriteAsync(new { StreamStatus = "EndSnapshot" });
            _streamWriters[id] = channel.Writer;
            Interlocked.Increment(ref StreamsOpened);
            var beats = 0;
            while (!http.RequestAborted.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                idle.CancelAfter(HeartbeatInterval);
                object message;
                try
                {
                    message = await channel.Reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                {
                    message = new { Heartbeat = ++beats, Timestamp = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) };
                    Interlocked.Increment(ref HeartbeatsSent);
                }

                await WriteAsync(message);
                if (ReferenceEquals(message, GoAwayMessage))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            _streamWriters.TryRemove(id, out _);
        }
    }
}
