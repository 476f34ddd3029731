namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>An order as the Bybit fake holds it (Bybit's names and statuses).</summary>
public sealed record FakeOrder(
    string OrderId, string OrderLinkId, string Symbol, string Side, string Type, decimal Qty, decimal? Price, decimal? TriggerPrice, decimal? TakeProfit, decimal? StopLoss,
    string Status, decimal CumExecQty, decimal AvgPrice, long CreatedTime = 0, long UpdatedTime = 0);
