namespace AlgoSignal.Ingress.MarketData;

/// <summary>A bar with its UTC open time; <see cref="Volume"/> null when the instrument has none; the forming bar marked.</summary>
public sealed record OhlcBar(string Time, double Open, double High, double Low, double Close, double? Volume, bool? Forming);
