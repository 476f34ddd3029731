namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>An order as the TradeStation fake holds it (TradeStation's names and status codes).</summary>
public sealed record TsOrder(string OrderId, string ConfirmId, string Symbol, string Action, string Type, decimal Quantity, decimal? LimitPrice, decimal? StopPrice,
    decimal? TakeProfit, decimal? StopLoss, string Status, decimal Filled, decimal FilledPrice)
{
    public DateTimeOffset OpenedAt { get; init; } = TimeProvider.System.GetUtcNow();

    public DateTimeOffset? ClosedAt { get; init; }
}
