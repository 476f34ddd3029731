namespace AlgoSignal.Domain.Orders;

/// <summary>An order's side as stored (<c>orders.side</c>) and served: the one mapping to and from <see cref="OrderSide"/>.</summary>
public static class OrderSides
{
    public const string Buy = "buy";
    public const string Sell = "sell";

    public static string ToText(this OrderSide side) => side switch
    {
        OrderSide.Buy => Buy,
        OrderSide.Sell => Sell,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "not an order side"),
    };

    public static OrderSide Parse(string text) => text switch
    {
        Buy => OrderSide.Buy,
        Sell => OrderSide.Sell,
        _ => throw new FormatException($"\"{text}\" is not an order side."),
    };

    /// <summary>The side that closes a position opened on <paramref name="side"/> (a bracket child's side).</summary>
    public static OrderSide Opposite(this OrderSide side) => side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
}
