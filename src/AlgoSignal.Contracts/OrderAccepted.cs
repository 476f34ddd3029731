namespace AlgoSignal.Contracts;

/// <summary>A broker accepted an order (it may rest, e.g. a limit order).</summary>
/// <param name="AlertId">The alert the order came from.</param>
/// <param name="ClientOrderId">The deterministic id every request for this order carried.</param>
/// <param name="BrokerOrderId">The broker's id.</param>
/// <param name="Broker">The broker name.</param>
/// <param name="Account">The account.</param>
/// <param name="Symbol">The broker's symbol.</param>
/// <param name="Side"><c>buy</c> or <c>sell</c>.</param>
/// <param name="Quantity">The ordered quantity.</param>
/// <param name="OrderType"><c>market</c>, <c>limit</c>, <c>stop</c> or <c>stop_limit</c>.</param>
public sealed record OrderAccepted(Guid AlertId, string ClientOrderId, string? BrokerOrderId, string Broker, string Account, string Symbol, string Side, decimal Quantity, string OrderType);
