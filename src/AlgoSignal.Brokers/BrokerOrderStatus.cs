namespace AlgoSignal.Brokers;

/// <summary>
/// An order as the broker reports it: <c>accepted</c>, <c>partially_filled</c>, <c>filled</c>, <c>cancelled</c>, <c>rejected</c>,
/// with the cumulative filled quantity and average price (cumulative, so applying the same report twice changes nothing)
/// and, where the broker says, when it last changed.
/// </summary>
public sealed record BrokerOrderStatus(string BrokerOrderId, string Status, decimal FilledQuantity, decimal? AveragePrice, string? Message, DateTimeOffset? UpdatedAt = null);
