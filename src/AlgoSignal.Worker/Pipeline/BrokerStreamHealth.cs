using System.Collections.Concurrent;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>Which brokers' order streams are connected and delivering right now, and since when.</summary>
public sealed class BrokerStreamHealth
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _connectedSince = new(StringComparer.Ordinal);

    public void Connected(string broker, DateTimeOffset since) => _connectedSince[broker] = since;

    public void Disconnected(string broker) => _connectedSince.TryRemove(broker, out _);

    /// <summary>
    /// True while <paramref name="broker"/>'s stream is up; <paramref name="since"/> is when this connection became ready
    /// (the earliest time when its first message was a snapshot of every order): orders older than that are polled once.
    /// </summary>
    public bool IsHealthy(string broker, out DateTimeOffset since) => _connectedSince.TryGetValue(broker, out since);
}
