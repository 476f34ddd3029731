namespace AlgoSignal.Domain.Orders;

/// <summary>
/// An order's place in its bracket (<c>orders.role</c>): the order an alert asked for, or one of the
/// children its fill creates. Counts of an alert's or a strategy's orders count only the main ones.
/// </summary>
public static class OrderRoles
{
    public const string Main = "main";
    public const string TakeProfit = "take_profit";
    public const string StopLoss = "stop_loss";
}
