namespace AlgoSignal.Domain.Positions;

/// <summary>
/// A signed position (short &lt; 0) with its average entry price, its realised P&amp;L (before fees: those are
/// the account's, and each order's realised P&amp;L is net of its own) and how many entries it has had since it
/// was last flat (the pyramiding limit counts them).
/// </summary>
public sealed record PositionState(decimal Quantity, decimal AveragePrice, decimal RealizedPnl, int Entries = 0)
{
    public const int AveragePrecision = 10;

    public static readonly PositionState Flat = new(0m, 0m, 0m);

    public decimal UnrealizedPnl(decimal markPrice) => (markPrice - AveragePrice) * Quantity;

    /// <summary>
    /// The one rule of a fill, paper or live: the quantity and prices move (<see cref="Apply"/>); entries reset to 0
    /// when flat, to 1 when the fill opens the position or flips it through zero, and count one more per entry fill
    /// otherwise; the fill's realised P&amp;L is reported net of its fee.
    /// </summary>
    public FillResult ApplyFill(Fill fill)
    {
        var moved = Apply(fill.SignedQuantity, fill.Price);
        var entries = moved.Quantity == 0m ? 0
            : Math.Sign(moved.Quantity) != Math.Sign(Quantity) ? 1
            : fill.Intent == Orders.OrderIntent.Entry ? Entries + 1 : Entries;
        return new FillResult(moved with { Entries = entries }, moved.RealizedPnl - RealizedPnl - fill.Fee);
    }

    /// <summary>
    /// The price side of a fill: adds at a weighted average, or reduces and realises P&amp;L, or flips through
    /// zero. Entries are left as they are (<see cref="ApplyFill"/> counts them).
    /// </summary>
    public PositionState Apply(decimal signedQuantity, decimal price)
    {
        if (Quantity == 0m || Math.Sign(Quantity) == Math.Sign(signedQuantity))
        {
            var total = Quantity + signedQuantity;
            // Rounded to 10 places: enough for any price, and keeps products within decimal's 28 digits
            // (PostgreSQL's numeric would otherwise hand back more digits than decimal can hold).
            var average = Math.Round((AveragePrice * Math.Abs(Quantity) + price * Math.Abs(signedQuantity)) / Math.Abs(total), AveragePrecision);
            return this with { Quantity = total, AveragePrice = average };
        }

        var closing = Math.Min(Math.Abs(signedQuantity), Math.Abs(Quantity));
        var realized = (price - AveragePrice) * closing * Math.Sign(Quantity);
        var remaining = Quantity + signedQuantity;
        var newAverage = remaining == 0m ? 0m : Math.Sign(remaining) == Math.Sign(Quantity) ? AveragePrice : price;
        return this with { Quantity = remaining, AveragePrice = newAverage, RealizedPnl = RealizedPnl + realized };
    }
}
