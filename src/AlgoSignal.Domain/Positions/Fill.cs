using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Positions;

/// <summary>
/// Part or all of an order executed: what a position learns from its broker, paper or live. The fee is paid in
/// cash on top of the price (a live broker's fills carry none: its account keeps its own fees).
/// </summary>
public sealed record Fill(OrderSide Side, OrderIntent Intent, decimal Quantity, decimal Price, decimal Fee = 0m)
{
    /// <summary>The quantity with the position's sign convention: bought is positive, sold negative.</summary>
    public decimal SignedQuantity => Side == OrderSide.Buy ? Quantity : -Quantity;

    /// <summary>What the fill does to cash: it pays for what it bought (or is paid for what it sold), less the fee.</summary>
    public decimal CashDelta => -((SignedQuantity * Price) + Fee);

    /// <summary>A fee of <paramref name="feeBps"/> basis points of the fill's notional, to 8 places.</summary>
    public static decimal FeeOf(decimal quantity, decimal price, decimal feeBps) => Math.Round(price * quantity * feeBps / 10_000m, 8);

    /// <summary>
    /// The fill between two cumulative reports of an order (brokers report the total filled and its average
    /// price): its quantity, at the price that makes the new average right. Null when nothing new filled.
    /// </summary>
    public static Fill? Between(OrderSide side, OrderIntent intent, decimal filledBefore, decimal? averageBefore, decimal filledNow, decimal? averageNow)
    {
        var quantity = filledNow - filledBefore;
        if (quantity <= 0m || averageNow is not { } average)
        {
            return null;
        }

        var price = ((average * filledNow) - ((averageBefore ?? 0m) * filledBefore)) / quantity;
        return new Fill(side, intent, quantity, price);
    }
}
