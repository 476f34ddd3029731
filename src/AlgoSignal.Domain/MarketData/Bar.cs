namespace AlgoSignal.Domain.MarketData;

/// <summary>
/// One OHLC bar. <see cref="Time"/> is the bar's open time in UTC. <see cref="Volume"/> is null when the
/// instrument has none (indices), never a made-up zero. <see cref="IsForming"/> marks the last bar
/// while its interval is still running.
/// </summary>
public sealed record Bar(DateTimeOffset Time, double Open, double High, double Low, double Close, double? Volume, bool IsForming = false);
