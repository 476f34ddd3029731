using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Signals;

/// <summary>
/// The action table (README, "Trading: from alert to order", step 3). TradingView strategy alerts carry the position before and after
/// the order (<c>prev_market_position</c> → <c>market_position</c>); when present, that transition
/// decides, because the strategy's own position is not synchronised with the broker's.
/// </summary>
public static class SignalMapper
{
    /// <param name="alert">The parsed alert.</param>
    /// <param name="position">The current signed position of the account in the symbol (short &lt; 0).</param>
    public static SignalMapping Map(AlertPayload alert, decimal position)
    {
        if (alert.MarketPosition is not null && alert.PrevMarketPosition is not null
            && alert.Action is AlertActions.Buy or AlertActions.Sell or AlertActions.Long or AlertActions.Short)
        {
            return FromTransition(alert, position);
        }

        return alert.Action switch
        {
            AlertActions.Buy or AlertActions.Long => Enter(OrderSide.Buy, alert.Quantity, position),
            AlertActions.Sell or AlertActions.Short => Enter(OrderSide.Sell, alert.Quantity, position),
            AlertActions.CloseLong => ExitLong(alert.Quantity, position),
            AlertActions.CloseShort => ExitShort(alert.Quantity, position),
            AlertActions.Close or AlertActions.StopLoss or AlertActions.TakeProfit => position switch
            {
                > 0 => ExitLong(alert.Quantity, position),
                < 0 => ExitShort(alert.Quantity, position),
                _ => SignalMapping.Reject($"\"{alert.Action}\" needs an open position in {alert.Symbol}; there is none, so nothing is sent."),
            },
            AlertActions.Cancel => SignalMapping.Of(new SignalLeg(0, SignalIntent.Cancel, OrderSide.Buy, null)),
            _ => SignalMapping.Reject($"Unknown action \"{alert.Action}\"."),
        };
    }

    private static SignalMapping FromTransition(AlertPayload alert, decimal position)
    {
        var from = alert.PrevMarketPosition;
        var to = alert.MarketPosition;
        var buying = alert.Action is AlertActions.Buy or AlertActions.Long;
        var newSize = alert.PositionSize is { } size ? Math.Abs(size) : (decimal?)null;
        return (from, to) switch
        {
            ("long", "flat") => ExitLong(null, position),
            ("short", "flat") => ExitShort(null, position),
            ("long", "short") => Reverse(OrderSide.Sell, newSize, position),
            ("short", "long") => Reverse(OrderSide.Buy, newSize, position),
            ("flat", "long") or ("long", "long") when buying => Enter(OrderSide.Buy, alert.Quantity, position),
            ("flat", "short") or ("short", "short") when !buying => Enter(OrderSide.Sell, alert.Quantity, position),
            ("long", "long") => ExitLong(alert.Quantity, position),
            ("short", "short") => ExitShort(alert.Quantity, position),
            _ => SignalMapping.Reject($"The transition {from} → {to} does not fit the action \"{alert.Action}\"."),
        };
    }

    private static SignalMapping Enter(OrderSide side, decimal? quantity, decimal position)
    {
        var opposite = side == OrderSide.Buy ? position < 0 : position > 0;
        return opposite
            ? Reverse(side, quantity, position)
            : SignalMapping.Of(new SignalLeg(0, SignalIntent.Entry, side, quantity));
    }

    private static SignalMapping Reverse(OrderSide side, decimal? entryQuantity, decimal position)
    {
        var exit = side == OrderSide.Sell ? ExitLong(null, position) : ExitShort(null, position);
        if (exit.IsRejected)
        {
            // Nothing to reverse out of: the entry alone is what the strategy asked for.
            return SignalMapping.Of(new SignalLeg(0, SignalIntent.Entry, side, entryQuantity));
        }

        return SignalMapping.Of(exit.Legs[0], new SignalLeg(1, SignalIntent.Entry, side, entryQuantity));
    }

    private static SignalMapping ExitLong(decimal? quantity, decimal position) =>
        position > 0
            ? SignalMapping.Of(new SignalLeg(0, SignalIntent.Exit, OrderSide.Sell, quantity is { } q ? Math.Min(q, position) : position))
            : SignalMapping.Reject("Exit of a long position, but there is no open long position; nothing is sent (an exit never opens a short).");

    private static SignalMapping ExitShort(decimal? quantity, decimal position) =>
        position < 0
            ? SignalMapping.Of(new SignalLeg(0, SignalIntent.Exit, OrderSide.Buy, quantity is { } q ? Math.Min(q, -position) : -position))
            : SignalMapping.Reject("Exit of a short position, but there is no open short position; nothing is sent (an exit never opens a long).");
}
