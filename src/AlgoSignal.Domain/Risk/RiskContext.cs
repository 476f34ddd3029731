using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Risk;

/// <summary>Everything a risk rule may look at, gathered by the caller before evaluation.</summary>
public sealed record RiskContext
{
    public required AlertPayload Alert { get; init; }
    public required StrategyDefinition Strategy { get; init; }
    public required SignalLeg Leg { get; init; }

    /// <summary>The account's signed position in the symbol before this order (short &lt; 0).</summary>
    public decimal Position { get; init; }

    /// <summary>The sized quantity of this order.</summary>
    public decimal Quantity { get; init; }

    /// <summary>The reference price (the alert's price), if any.</summary>
    public decimal? Price { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset Now { get; init; }
    public bool LiveTradingEnabled { get; init; }
    public bool KillSwitchEnabled { get; init; }
    public bool KillSwitchAllowsExits { get; init; } = true;

    /// <summary>Orders this strategy placed in the last 60 seconds.</summary>
    public int OrdersLastMinute { get; init; }

    /// <summary>Symbols with an open position in the strategy's route account.</summary>
    public int OpenPositions { get; init; }

    /// <summary>Entries since the position was last flat.</summary>
    public int EntriesInPosition { get; init; }

    /// <summary>Realised P&amp;L of this strategy and account since the start of the account's day.</summary>
    public decimal RealizedPnlToday { get; init; }

    public bool IsEntry => Leg.Intent == SignalIntent.Entry;

    public decimal SignedQuantity => Leg.Side == Orders.OrderSide.Buy ? Quantity : -Quantity;
}
