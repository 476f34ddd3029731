namespace AlgoSignal.Domain.Orders;

/// <summary>An order's side as stored (<c>orders.side</c>) and sent to brokers.</summary>
public static class OrderSides
{
    public const string Buy = "buy";
    public const string Sell = "sell";

    public static string Of(OrderSide side) => side == OrderSide.Buy ? Buy : Sell;
}
