namespace AlgoSignal.Domain.Orders;

/// <summary>
/// Which price made a paper order fill (<c>order_events.fill_trigger</c>): the price an alert carried, or a
/// market price from the symbol's live feed.
/// </summary>
public static class FillTriggers
{
    public const string Alert = "alert";
    public const string Market = "market";
}
