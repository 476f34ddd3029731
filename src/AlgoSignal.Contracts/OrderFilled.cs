namespace AlgoSignal.Contracts;

/// <summary>An order filled (completely).</summary>
/// <param name="AlertId">The alert the order came from.</param>
/// <param name="ClientOrderId">The order's client id.</param>
/// <param name="Broker">The broker name.</param>
/// <param name="Account">The account.</param>
/// <param name="Symbol">The broker's symbol.</param>
/// <param name="Side"><c>buy</c> or <c>sell</c>.</param>
/// <param name="FilledQuantity">The filled quantity.</param>
/// <param name="AveragePrice">The average fill price.</param>
public sealed record OrderFilled(Guid AlertId, string ClientOrderId, string Broker, string Account, string Symbol, string Side, decimal FilledQuantity, decimal AveragePrice);
