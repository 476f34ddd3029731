namespace AlgoSignal.Ingress.Console;

/// <summary>The data of the stream's <c>order</c> event: an order's status changed.</summary>
public sealed record LiveOrder(
    Guid AlertId, string ClientOrderId, string Broker, string Account, string? Symbol, string? Side, string Status, decimal? Quantity, decimal? FilledQuantity, decimal? AveragePrice, string? Reason);
