using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Decisions;

/// <summary>
/// Everything the decision of one leg looks at, read by the worker inside the alert's transaction. The
/// figures <see cref="LegNeeds"/> does not ask for (orders in the last minute, realised P&amp;L today, equity) are
/// left at zero: a rule that cannot use them never reads them.
/// </summary>
public sealed record LegFacts : LegCircumstances
{
    /// <summary>The route goes to the paper broker (whose account equity AlgoSignal keeps).</summary>
    public bool IsPaper { get; init; }

    /// <summary>Why the kill switch was turned on, told with its refusals.</summary>
    public string? KillSwitchReason { get; init; }

    /// <summary>The paper broker's lot step, which sized quantities are rounded down to.</summary>
    public decimal LotStep { get; init; }

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
