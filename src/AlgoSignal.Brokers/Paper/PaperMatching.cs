using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// When a paper order fills against an observed price, and at what price. Market and triggered stop
/// orders pay the slippage; a limit order fills at the observed price when it is at or better than
/// the limit (a gap through the limit fills at the better price, as on an exchange).
/// </summary>
public static class PaperMatching
{
    /// <summary>True when a stop-limit order's stop is reached and it becomes a limit order.</summary>
    public static bool Trigger(string orderType, string side, decimal? stop, decimal price) =>
        orderType == AlertOrderTypes.StopLimit && stop is { } s && (side == OrderSides.Buy ? price >= s : price <= s);

    /// <returns>The fill price, or null when the order does not fill at this price.</returns>
    public static decimal? FillPrice(string orderType, string side, decimal? limit, decimal? stop, decimal price, decimal slippageBps)
    {
        var buy = side == OrderSides.Buy;
        var slipped = buy ? price * (1m + (slippageBps / 10_000m)) : price * (1m - (slippageBps / 10_000m));
        return orderType switch
        {
            AlertOrderTypes.Market => slipped,
            AlertOrderTypes.Limit when limit is { } l && (buy ? price <= l : price >= l) => price,
            AlertOrderTypes.Stop when stop is { } s && (buy ? price >= s : price <= s) => slipped,
            _ => null,
        };
    }
}
