using AlgoSignal.Domain.Risk;

namespace AlgoSignal.Domain.Decisions;

/// <summary>What to do with one leg of an alert on one route: refuse it with a rule, or place an order.</summary>
public abstract record LegDecision
{
    private LegDecision()
    {
    }

    /// <summary>
    /// The leg is refused by <paramref name="Rule"/>: <paramref name="Reason"/> is what the risk decision
    /// records, <paramref name="Summary"/> what the alert's reason says.
    /// </summary>
    public sealed record Refused(string Rule, string Reason, string Summary) : LegDecision;

    /// <summary>The leg becomes this order, approved by <paramref name="Risk"/>.</summary>
    public sealed record Place(OrderToPlace Order, RiskDecision Risk) : LegDecision;
}

/// <summary>
/// The order a leg places, in stored terms (<see cref="Orders.OrderSides"/>, <see cref="Orders.OrderIntents"/>);
/// bracket prices only on an entry, whose fill creates the children.
/// </summary>
public sealed record OrderToPlace(
    string Side,
    string Intent,
    decimal Quantity,
    string OrderType,
    decimal? LimitPrice,
    decimal? StopPrice,
    string TimeInForce,
    decimal? TakeProfit,
    decimal? StopLoss);
