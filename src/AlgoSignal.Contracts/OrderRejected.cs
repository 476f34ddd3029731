namespace AlgoSignal.Contracts;

/// <summary>A broker refused an order.</summary>
/// <param name="AlertId">The alert the order came from.</param>
/// <param name="ClientOrderId">The order's client id.</param>
/// <param name="Broker">The broker name.</param>
/// <param name="Account">The account.</param>
/// <param name="Reason">The broker's reason, with its code where it gives one.</param>
public sealed record OrderRejected(Guid AlertId, string ClientOrderId, string Broker, string Account, string? Reason);
