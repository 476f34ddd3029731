using System.Collections.Concurrent;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>
/// What each live broker's last HTTP calls said: when one last succeeded, when one last failed and how, and how many
/// failed in a row. <see cref="BrokerRequestHandler"/> records every call; <see cref="BrokerStatusWriter"/> reports it.
/// </summary>
public sealed class BrokerHealth
{
    /// <summary>This many failed calls in a row, with none succeeding since, make a broker <c>disconnected</c>.</summary>
    public const int FailuresToDisconnect = 3;

    private readonly ConcurrentDictionary<string, BrokerCalls> _brokers = new(StringComparer.Ordinal);

    public void Succeeded(string broker, DateTimeOffset at) =>
        _brokers.AddOrUpdate(broker, _ => new BrokerCalls(at, null, null, 0), (_, c) => c with { LastSuccessAt = at, Failures = 0 });

    public void Failed(string broker, string outcome, DateTimeOffset at) =>
        _brokers.AddOrUpdate(broker, _ => new BrokerCalls(null, at, outcome, 1), (_, c) => c with { LastFailureAt = at, LastFailure = outcome, Failures = c.Failures + 1 });

    public BrokerCalls? Of(string broker) => _brokers.TryGetValue(broker, out var calls) ? calls : null;
}

/// <summary>One broker's recent calls: <see cref="State"/> is <c>connected</c>, <c>disconnected</c> or <c>unknown</c> (no call yet).</summary>
public sealed record BrokerCalls(DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure, int Failures)
{
    public string State => Failures >= BrokerHealth.FailuresToDisconnect ? BrokerStates.Disconnected
        : LastSuccessAt is not null || LastFailureAt is not null ? BrokerStates.Connected
        : BrokerStates.Unknown;
}

public static class BrokerStates
{
    public const string Connected = "connected";
    public const string Disconnected = "disconnected";
    public const string Unknown = "unknown";
}
