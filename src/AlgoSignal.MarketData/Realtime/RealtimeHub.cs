using System.Collections.Concurrent;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Realtime;

/// <summary>
/// One upstream stream (from the symbol's provider: TradingView, Bybit or mock) per symbol and timeframe, shared by every subscriber; it starts with
/// the first subscriber, reconnects with backoff when dropped, and stops with the last unsubscribe.
/// Subscribers hear of every failure (<c>reconnecting</c> with the reason) and of the recovery
/// (<c>live</c>), so a silent stream never looks like a quiet market. At most
/// <c>MarketData:Realtime:MaxUpstreamStreams</c> streams are open at once.
/// </summary>
public sealed partial class RealtimeHub(MarketDataProviders providers, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<RealtimeHub> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<StreamKey, Upstream> _upstreams = new();
    private readonly Lock _lock = new();

    public int ActiveStreams => _upstreams.Count;

    public int MaxStreams => options.Value.MaxUpstreamStreams;

    /// <summary>Subscribes to all of <paramref name="keys"/>, or to none when that would open more upstream streams than allowed.</summary>
    public bool TrySubscribe(IReadOnlyCollection<(StreamKey Key, Timeframe Timeframe)> keys, RealtimeSubscriber subscriber)
    {
        lock (_lock)
        {
            var opening = keys.Select(k => k.Key).Distinct().Count(k => !_upstreams.ContainsKey(k));
            if (opening > 0 && _upstreams.Count + opening > options.Value.MaxUpstreamStreams)
            {
                return false;
            }

            foreach (var (key, timeframe) in keys)
            {
                if (!_upstreams.TryGetValue(key, out var upstream))
                {
                    upstream = new Upstream(key);
                    _upstreams[key] = upstream;
                    upstream.Loop = Task.Run(() => RunAsync(upstream, timeframe));
                }

                upstream.Subscribers.Add(subscriber);
            }

            return true;
        }
    }

    /// <summary>Tells a new subscriber the stream's state when it is not live, so it need not wait for the next failure.</summary>
    public void Announce(StreamKey key, RealtimeSubscriber subscriber)
    {
        lock (_lock)
        {
            if (_upstreams.TryGetValue(key, out var upstream) && upstream.Status is { } status && upstream.Subscribers.Contains(subscriber))
            {
                subscriber.Push(status);
            }
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
            string reason;
            try
            {
                await providers.For(upstream.Key.Exchange).StreamAsync(request, bar =>
                {
                    attempt = 0;
                    SetStatus(upstream, null);
                    Broadcast(upstream, new RealtimeUpdate(upstream.Key, bar));
                    return Task.CompletedTask;
                }, token);
                reason = $"The {providers.NameFor(upstream.Key.Exchange)} stream for {upstream.Key.FullSymbol} ended.";
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
                reason = ex.Message;
            }

            var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 7))));
            LogReconnect(logger, upstream.Key.FullSymbol, reason, delay.TotalMilliseconds);
            SetStatus(upstream, new RealtimeUpdate(upstream.Key, null, State: RealtimeUpdate.Reconnecting, Reason: reason, RetryInMs: (int)delay.TotalMilliseconds));
            try
            {
                await Task.Delay(delay, time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Records and announces a change of state (null: live again after a failure). Pushed under the lock,
    /// so a subscriber announced to at the same moment never sees the states out of order.
    /// </summary>
    private void SetStatus(Upstream upstream, RealtimeUpdate? status)
    {
        lock (_lock)
        {
            if (status is null && upstream.Status is null)
            {
                return;
            }

            upstream.Status = status;
            var update = status ?? new RealtimeUpdate(upstream.Key, null, State: RealtimeUpdate.Live);
            foreach (var subscriber in upstream.Subscribers)
            {
                subscriber.Push(update);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Realtime stream {Symbol} dropped ({Error}); reconnecting in {DelayMs} ms")]
    private static partial void LogReconnect(ILogger logger, string symbol, string error, double delayMs);

    private sealed class Upstream(StreamKey key)
    {
        public StreamKey Key { get; } = key;

        public HashSet<RealtimeSubscriber> Subscribers { get; } = [];

        public CancellationTokenSource Stop { get; } = new();

        public Task? Loop { get; set; }

        /// <summary>The last <c>reconnecting</c> state, or null while live (or not yet failed).</summary>
        public RealtimeUpdate? Status { get; set; }
    }
}
