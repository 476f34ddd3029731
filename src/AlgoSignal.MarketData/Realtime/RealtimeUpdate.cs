using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.Realtime;

/// <summary>
/// What subscribers of a stream are told: a new or changed bar; why the stream stopped (<see cref="Error"/>);
/// or the upstream's state (<see cref="State"/> <c>reconnecting</c> with its <see cref="Reason"/>, then <c>live</c>).
/// </summary>
public sealed record RealtimeUpdate(StreamKey Key, Bar? Bar, string? Error = null, string? State = null, string? Reason = null, int? RetryInMs = null)
{
    public const string Reconnecting = "reconnecting";
    public const string Live = "live";
}
