namespace AlgoSignal.Domain.Positions;

/// <summary>A signed position (short &lt; 0) with its average entry price and realised P&amp;L.</summary>
public sealed record PositionState(decimal Quantity, decimal AveragePrice, decimal RealizedPnl)
{
    public const int AveragePrecision = 10;

    public static readonly PositionState Flat = new(0m, 0m, 0m);

    public decimal UnrealizedPnl(decimal markPrice) => (markPrice - AveragePrice) * Quantity;

    /// <summary>Applies a fill: adds at a weighted average, or reduces and realises P&amp;L, or flips through zero.</summary>
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
        return new PositionState(remaining, newAverage, RealizedPnl + realized);
    }
}
