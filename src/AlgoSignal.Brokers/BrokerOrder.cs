namespace AlgoSignal.Brokers;

/// <summary>
/// A sized, risk-approved order in AlgoSignal's terms. <see cref="Symbol"/> is the TradingView form
/// (<c>BTCUSDT</c> or <c>BINANCE:BTCUSDT</c>); each adapter maps it. Prices are absolute.
/// </summary>
public sealed record BrokerOrder(
    string ClientOrderId,
    string Account,
    string Symbol,
    string Side,
    decimal Quantity,
    string OrderType,
    decimal? LimitPrice,
    decimal? StopPrice,
    string TimeInForce,
    decimal? TakeProfit,
    decimal? StopLoss,
    bool ReduceOnly,
    decimal? ReferencePrice,
    string? BrokerOrderId = null);
