namespace AlgoSignal.Contracts;

/// <summary>An order could not be placed after retries (transport or broker outage).</summary>
/// <param name="AlertId">The alert the order came from.</param>
/// <param name="ClientOrderId">The order's client id.</param>
/// <param name="Broker">The broker name.</param>
/// <param name="Account">The account.</param>
/// <param name="Reason">What failed.</param>
public sealed record OrderFailed(Guid AlertId, string ClientOrderId, string Broker, string Account, string? Reason);
