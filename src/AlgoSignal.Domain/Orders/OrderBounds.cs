using System.Globalization;

namespace AlgoSignal.Domain.Orders;

/// <summary>
/// The largest order the books hold exactly. Decimal arithmetic throws on overflow, and an order's
/// notional is later multiplied by fees and summed into cash and P&amp;L, so a notional is kept far
/// below decimal's range (about 7.9e28): an alert beyond it is refused with this rule and a reason,
/// never an exception.
/// </summary>
public static class OrderBounds
{
    public const string Rule = "order_bounds";

    public const decimal MaxNotional = 1e20m;

    /// <summary>Why the quantity, alone or at any of the given prices, is out of bounds; null when it is within them.</summary>
    public static string? Check(decimal quantity, params ReadOnlySpan<decimal?> prices)
    {
        if (Math.Abs(quantity) > MaxNotional)
        {
            return $"The quantity {Format(quantity)} exceeds {Format(MaxNotional)}, the largest order AlgoSignal books; check the alert's quantity.";
        }

        foreach (var price in prices)
        {
            if (price is not { } p)
            {
                continue;
            }

            decimal notional;
            try
            {
                notional = Math.Abs(quantity * p);
            }
            catch (OverflowException)
            {
                notional = decimal.MaxValue;
            }

            if (notional > MaxNotional)
            {
                return $"The order's notional ({Format(quantity)} × {Format(p)}) exceeds {Format(MaxNotional)}, the largest AlgoSignal books; check the alert's quantity and prices.";
            }
        }

        return null;
    }

    private static string Format(decimal value) => value.ToString("G", CultureInfo.InvariantCulture);
}
