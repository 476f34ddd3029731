namespace AlgoSignal.Brokers;

/// <summary>
/// An order's state pushed by a broker's stream. <see cref="ClientOrderId"/> is the client order id as the broker echoes
/// it, possibly cut to the broker's limit (TradeStation keeps its first 22 characters); <see cref="EventTime"/> is when the
/// broker says it happened, for the fill latency.
/// </summary>
public sealed record BrokerOrderUpdate(string? ClientOrderId, string? BrokerOrderId, BrokerOrderStatus Status, DateTimeOffset EventTime);
