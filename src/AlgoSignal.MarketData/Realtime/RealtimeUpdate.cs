using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.Realtime;

/// <summary>A new or changed bar for subscribers, or (with <see cref="Error"/>) why the stream stopped.</summary>
public sealed record RealtimeUpdate(StreamKey Key, Bar? Bar, string? Error = null);
