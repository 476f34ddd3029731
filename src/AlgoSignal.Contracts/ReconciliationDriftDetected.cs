namespace AlgoSignal.Contracts;

/// <summary>A live broker and AlgoSignal's books disagree; reported, never corrected automatically.</summary>
/// <param name="Broker">The broker name.</param>
/// <param name="Kind">
/// <c>position</c>: the broker's position differs from AlgoSignal's; <c>untracked_order</c>: orders work at the broker
/// that AlgoSignal has no record of; <c>unknown_order_live</c>: orders AlgoSignal marked unknown are live at the broker.
/// </param>
/// <param name="Symbol">The broker's symbol.</param>
/// <param name="BrokerQuantity">The signed quantity the broker reports (for orders: their open quantity, sells negative).</param>
/// <param name="OurQuantity">The signed quantity AlgoSignal's books hold (none for <c>unknown_order_live</c>).</param>
/// <param name="Detail">What differs, in words.</param>
/// <param name="DetectedAt">When the drift was first confirmed.</param>
public sealed record ReconciliationDriftDetected(string Broker, string Kind, string Symbol, decimal? BrokerQuantity, decimal? OurQuantity, string Detail, DateTimeOffset DetectedAt);
