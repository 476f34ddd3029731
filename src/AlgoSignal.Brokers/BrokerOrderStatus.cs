namespace AlgoSignal.Brokers;

/// <summary>An order as the broker reports it: <c>accepted</c>, <c>partially_filled</c>, <c>filled</c>, <c>cancelled</c>, <c>rejected</c>.</summary>
public sealed record BrokerOrderStatus(string BrokerOrderId, string Status, decimal FilledQuantity, decimal? AveragePrice, string? Message);
