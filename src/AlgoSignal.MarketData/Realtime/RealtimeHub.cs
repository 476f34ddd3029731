using System.Collections.Concurrent;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.MarketData.Realtime;

/// <summary>
/// One upstream TradingView stream per symbol and timeframe, shared by every subscriber; it starts with
/// the first subscriber, reconnects with backoff when dropped, and stops with the last unsubscribe.
/// </summary>
public sealed partial class RealtimeHub(TradingViewClient client, TimeProvider time, ILogger<RealtimeHub> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<StreamKey, Upstream> _upstreams = new();
    private readonly Lock _lock = new();

    public int ActiveStreams => _upstreams.Count;

    public void Subscribe(StreamKey key, Timeframe timeframe, RealtimeSubscriber subscriber)
    {
        lock (_lock)
        {
            if (!_upstreams.TryGetValue(key, out var upstream))
            {
                upstream = new Upstream(key);
                _upstreams[key] = upstream;
                upstream.Loop = Task.Run(() => RunAsync(upstream, timeframe));
            }

            upstream.Subscribers.Add(subscriber);
        }
    }

    public void Unsubscribe(StreamKey key, RealtimeSubscriber subscriber)
    {
        lock (_lock)
        {
            if (_upstreams.TryGetValue(key, out var upstream) && upstream.Subscribers.Remove(subscriber) && upstream.Subscribers.Count == 0)
            {
                _upstreams.TryRemove(key, out _);
                upstream.Stop.Cancel();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in _upstreams.Values)
        {
            await upstream.Stop.CancelAsync();
        }

        await Task.WhenAll(_upstreams.Values.Select(u => u.Loop ?? Task.CompletedTask));
    }

    private async Task RunAsync(Upstream upstream, Timeframe timeframe)
    {
        var token = upstream.Stop.Token;
        var request = new TvRequest(upstream.Key.Exchange, upstream.Key.Symbol, timeframe, 2);
        for (var attempt = 0; !token.IsCancellationRequested; attempt++)
        {
            try
            {
                await client.StreamAsync(request, bar =>
                {
                    attempt = 0;
                    Broadcast(upstream, new RealtimeUpdate(upstream.Key, bar));
                    return Task.CompletedTask;
                }, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (TvException ex) when (!ex.Transient)
            {
                Broadcast(upstream, new RealtimeUpdate(upstream.Key, null, ex.Message));
                return;
            }
            catch (TvException ex)
            {
                LogReconnect(logger, upstream.Key.FullSymbol, ex.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 7)))), time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Broadcast(Upstream upstream, RealtimeUpdate update)
    {
        RealtimeSubscriber[] subscribers;
        lock (_lock)
        {
            subscribers = [.. upstream.Subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Push(update);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Realtime stream {Symbol} dropped ({Error}); reconnecting")]
    private static partial void LogReconnect(ILogger logger, string symbol, string error);

    private sealed class Upstream(StreamKey key)
    {
        public StreamKey Key { get; } = key;

        public HashSet<RealtimeSubscriber> Subscribers { get; } = [];

        public CancellationTokenSource Stop { get; } = new();

        public Task? Loop { get; set; }
    }
}
