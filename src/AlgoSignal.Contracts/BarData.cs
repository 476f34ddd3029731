namespace AlgoSignal.Contracts;

/// <summary>One bar on the wire: open time as UNIX seconds (UTC); <see cref="Volume"/> null when the instrument has none.</summary>
public sealed record BarData(long Time, double Open, double High, double Low, double Close, double? Volume, bool Forming);
