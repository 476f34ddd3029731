namespace AlgoSignal.Brokers;

/// <summary>A position as the broker reports it: the broker's symbol, a signed quantity (short is negative) and its average price.</summary>
public sealed record BrokerPosition(string Symbol, decimal Quantity, decimal? AveragePrice);
