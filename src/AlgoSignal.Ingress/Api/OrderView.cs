namespace AlgoSignal.Ingress.Api;

public sealed record OrderView(
    string Broker,
    string Account,
    string ClientOrderId,
    string? BrokerOrderId,
    string Symbol,
    string Side,
    string Intent,
    decimal Quantity,
    string OrderType,
    decimal? LimitPrice,
    decimal? StopPrice,
    string TimeInForce,
    string Status,
    decimal FilledQuantity,
    decimal? AveragePrice,
    decimal Fees,
    string? Reason,
    DateTimeOffset CreatedAt,
    IReadOnlyList<OrderEventView> Events);
