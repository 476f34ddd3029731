using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Decisions;

/// <summary>
/// Everything the decision of one leg looks at, read by the worker inside the alert's transaction. The
/// figures <see cref="LegNeeds"/> does not ask for are left at zero: a rule that cannot use them never reads them.
/// </summary>
public sealed record LegFacts
{
    public required AlertPayload Alert { get; init; }
    public required StrategyDefinition Strategy { get; init; }
    public required SignalLeg Leg { get; init; }

    /// <summary>The route goes to the paper broker (whose account equity AlgoSignal keeps).</summary>
    public bool IsPaper { get; init; }

    /// <summary>The route account's signed position in the symbol before this leg (short &lt; 0).</summary>
    public decimal Position { get; init; }

    /// <summary>Entries since the position was last flat.</summary>
    public int EntriesInPosition { get; init; }

    /// <summary>Positions the route account has open, as its trading book was read.</summary>
    public int OpenPositions { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset Now { get; init; }
    public bool LiveTradingEnabled { get; init; }
    public bool KillSwitchEnabled { get; init; }

    /// <summary>Why the kill switch was turned on, told with its refusals.</summary>
    public string? KillSwitchReason { get; init; }

    public bool KillSwitchAllowsExits { get; init; } = true;

    /// <summary>The paper broker's lot step, which sized quantities are rounded down to.</summary>
    public decimal LotStep { get; init; }

    /// <summary>Orders the strategy placed in the last minute (read when <see cref="LegNeeds.OrdersLastMinute"/>).</summary>
    public int OrdersLastMinute { get; init; }

    /// <summary>The strategy's realised P&amp;L in the account today (read when <see cref="LegNeeds.RealizedPnlToday"/>).</summary>
    public decimal RealizedPnlToday { get; init; }

    /// <summary>The paper account's equity (read when <see cref="LegNeeds.Equity"/>).</summary>
    public decimal Equity { get; init; }
}

/// <summary>
/// The figures a leg's decision can use, so the worker reads only those: the alert pipeline is a hot
/// path, and most strategies use few of the rules that need a query.
/// </summary>
public sealed record LegNeeds(bool OrdersLastMinute, bool RealizedPnlToday, bool Equity)
{
    public static LegNeeds For(StrategyDefinition strategy, SignalLeg leg, bool isPaper) => new(
        OrdersLastMinute: strategy.MaxOrdersPerMinute > 0,
        RealizedPnlToday: leg.Intent == SignalIntent.Entry && strategy.MaxDailyLoss is not null,
        Equity: isPaper && leg.Intent != SignalIntent.Exit && SizesFromEquity(strategy, leg));

    /// <summary>Equity matters only to sizing rules that size from it, when the alert gives no quantity.</summary>
    public static bool SizesFromEquity(StrategyDefinition strategy, SignalLeg leg) =>
        leg.Quantity is null && strategy.Sizing.Mode is SizingModes.PercentEquity or SizingModes.RiskPercent;
}
