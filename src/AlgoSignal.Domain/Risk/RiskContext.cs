using System.Diagnostics.CodeAnalysis;
using AlgoSignal.Domain.Signals;

namespace AlgoSignal.Domain.Risk;

/// <summary>Everything a risk rule may look at: the leg's circumstances and the order it would place.</summary>
public sealed record RiskContext : LegCircumstances
{
    public RiskContext()
    {
    }

    /// <summary>The circumstances a leg was decided in, with the quantity it was sized to and its reference price.</summary>
    [SetsRequiredMembers]
    public RiskContext(LegCircumstances circumstances, decimal quantity, decimal? price)
        : base(circumstances)
    {
        Quantity = quantity;
        Price = price;
    }

    /// <summary>The sized quantity of this order.</summary>
    public decimal Quantity { get; init; }

    /// <summary>The reference price (the alert's price), if any.</summary>
    public decimal? Price { get; init; }

    public bool IsEntry => Leg.Intent == SignalIntent.Entry;

    public decimal SignedQuantity => Leg.Side == Orders.OrderSide.Buy ? Quantity : -Quantity;
}
