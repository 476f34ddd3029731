using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;

namespace AlgoSignal.Domain.Orders;

/// <summary>
/// Brackets and one-cancels-the-other (README: paper broker). An entry with a take-profit or stop-loss gets exit
/// children when it fills: the take-profit a limit, the stop-loss a stop, both on the other side, for the filled
/// quantity, good till cancelled. When one child fills, its siblings (the same alert and leg) are void; when the
/// position goes flat, no protective child may stay resting to open a new one.
/// </summary>
public static class Brackets
{
    /// <summary>The children an order's fill creates, by role (none unless it is a main entry with bracket prices).</summary>
    public static IReadOnlyList<(string Role, OrderToPlace Order)> ChildrenOf(BracketMember filled, OrderToPlace parent, decimal filledQuantity)
    {
        if (filled.Role != OrderRoles.Main || OrderIntents.Parse(parent.Intent) != OrderIntent.Entry || filledQuantity <= 0m)
        {
            return [];
        }

        var exitSide = OrderSides.Parse(parent.Side).Opposite().ToText();
        var children = new List<(string, OrderToPlace)>(2);
        if (parent.TakeProfit is { } takeProfit)
        {
            children.Add((OrderRoles.TakeProfit, Exit(exitSide, filledQuantity, OrderType.Limit, takeProfit, null)));
        }

        if (parent.StopLoss is { } stopLoss)
        {
            children.Add((OrderRoles.StopLoss, Exit(exitSide, filledQuantity, OrderType.Stop, null, stopLoss)));
        }

        return children;
    }

    /// <summary>
    /// Why a resting order of the same account and symbol is cancelled after <paramref name="filled"/> filled,
    /// or null when it stays: a sibling of a filled child (one cancels the other), or any protective child once
    /// the position is <paramref name="flat"/>. Main orders are never cancelled by a fill.
    /// </summary>
    public static string? CancelReason(BracketMember filled, bool flat, BracketMember resting)
    {
        if (resting.Role == OrderRoles.Main)
        {
            return null;
        }

        if (filled.Role != OrderRoles.Main && resting.AlertId == filled.AlertId && resting.Leg == filled.Leg)
        {
            return $"{filled.Role} filled (one cancels the other)";
        }

        return flat ? "position closed" : null;
    }

    private static OrderToPlace Exit(string side, decimal quantity, OrderType type, decimal? limit, decimal? stop) =>
        new(side, OrderIntents.Exit, quantity, type.ToText(), limit, stop, TimeInForce.Gtc.ToText(), TakeProfit: null, StopLoss: null);
}

/// <summary>Where an order stands in its bracket: the alert and leg it belongs to, and its role there (<see cref="OrderRoles"/>).</summary>
public sealed record BracketMember(Guid AlertId, int Leg, string Role);
