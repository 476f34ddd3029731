namespace AlgoSignal.Brokers;

/// <summary>What a broker accepts; the risk step refuses the rest with a clear reason before sending.</summary>
public sealed record BrokerCapabilities(IReadOnlySet<string> OrderTypes, IReadOnlySet<string> TimesInForce, bool Brackets, bool Short)
{
    /// <summary>
    /// Status requests per minute that following open orders may spend: a share of the broker's documented request
    /// budget small enough that new orders and cancels always find room in the rest.
    /// </summary>
    public int PollsPerMinute { get; init; } = 60;

    public string? Check(BrokerOrder order) =>
        !OrderTypes.Contains(order.OrderType) ? $"order type {order.OrderType} is not supported (supported: {string.Join(", ", OrderTypes)})"
        : !TimesInForce.Contains(order.TimeInForce) ? $"time in force {order.TimeInForce} is not supported (supported: {string.Join(", ", TimesInForce)})"
        : (order.TakeProfit is not null || order.StopLoss is not null) && !Brackets ? "take-profit/stop-loss are not supported"
        : null;
}
