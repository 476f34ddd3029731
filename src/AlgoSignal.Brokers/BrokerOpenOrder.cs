namespace AlgoSignal.Brokers;

/// <summary>
/// An order working at the broker, as reconciliation compares it with AlgoSignal's: the broker's symbol and id, the
/// client order id as the broker echoes it (null for an order placed elsewhere; possibly cut to the broker's limit),
/// <c>buy</c> or <c>sell</c>, and the quantity still open.
/// </summary>
public sealed record BrokerOpenOrder(string BrokerOrderId, string? ClientOrderId, string Symbol, string Side, decimal Quantity, decimal OpenQuantity);
