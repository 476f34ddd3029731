using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Risk;

/// <summary>
/// What one leg of an alert is decided in: the alert, its strategy and leg, the account as its trading book was
/// read, the clock and the switches. A leg's decision (<see cref="Decisions.LegFacts"/>) and the risk rules
/// (<see cref="RiskContext"/>) both look at these; each adds what only it needs.
/// </summary>
public abstract record LegCircumstances
{
    public required AlertPayload Alert { get; init; }
    public required StrategyDefinition Strategy { get; init; }
    public required SignalLeg Leg { get; init; }

    /// <summary>The route account's signed position in the symbol before this leg (short &lt; 0).</summary>
    public decimal Position { get; init; }

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
}
