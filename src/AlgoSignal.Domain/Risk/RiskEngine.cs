using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Risk;

/// <summary>
/// Evaluates the rules in order; the first rejection decides and is recorded with its rule. Rules
/// that limit exposure apply to entries only: an exit is always allowed to reduce risk (except by the
/// kill switch when it is set to stop exits too).
/// </summary>
public sealed class RiskEngine(IReadOnlyList<IRiskRule> rules)
{
    /// <summary>The rule of the global kill switch, whose refusals also tell why it is on.</summary>
    public const string KillSwitchRule = "kill_switch";

    public static RiskEngine Default { get; } = new(
    [
        new DelegateRule(KillSwitchRule, c => c.KillSwitchEnabled && (c.IsEntry || !c.KillSwitchAllowsExits)
            ? "The kill switch is on: no new orders" + (c.KillSwitchAllowsExits ? " except exits." : ".") : null),
        new DelegateRule("strategy_enabled", c => c.Strategy.Enabled ? null : $"Strategy \"{c.Strategy.Name}\" is disabled."),
        new DelegateRule("live_trading", c => c.Strategy.Mode == StrategyModes.Live && !c.LiveTradingEnabled
            ? "The strategy is live but live trading is disabled globally (Trading:LiveEnabled=false)." : null),
        new DelegateRule("symbol_allowed", c => c.Strategy.Symbols.Count == 0 || c.Strategy.Symbols.Any(s => SymbolMatches(s, c.Alert.Symbol, c.Alert.EffectiveExchange))
            ? null : $"Symbol {c.Alert.Symbol} is not in the strategy's symbols ({string.Join(", ", c.Strategy.Symbols)})."),
        new DelegateRule("timeframe_allowed", c => c.Strategy.Timeframes.Count == 0 || c.Alert.Timeframe is null
            || c.Strategy.Timeframes.Contains(c.Alert.Timeframe, StringComparer.OrdinalIgnoreCase)
            ? null : $"Timeframe {c.Alert.Timeframe} is not in the strategy's timeframes ({string.Join(", ", c.Strategy.Timeframes)})."),
        new DelegateRule("max_signal_age", SignalAge.Check),
        new DelegateRule("trading_window", c => !c.IsEntry || c.Strategy.TradingWindow is null || TradingWindows.IsOpen(c.Strategy.TradingWindow, c.Now)
            ? null : $"Outside the trading window {c.Strategy.TradingWindow!.Start}–{c.Strategy.TradingWindow.End} {c.Strategy.TradingWindow.Timezone} ({string.Join(",", c.Strategy.TradingWindow.Days)})."),
        new DelegateRule("max_orders_per_minute", c => c.Strategy.MaxOrdersPerMinute > 0 && c.OrdersLastMinute >= c.Strategy.MaxOrdersPerMinute
            ? $"{c.OrdersLastMinute} orders in the last minute; the strategy allows {c.Strategy.MaxOrdersPerMinute}." : null),
        new DelegateRule("max_positions", c => c.IsEntry && c.Position == 0m && c.OpenPositions >= c.Strategy.MaxPositions
            ? $"{c.OpenPositions} positions are open; the strategy allows {c.Strategy.MaxPositions}." : null),
        new DelegateRule("pyramiding", c => c.IsEntry && c.Position != 0m && c.EntriesInPosition >= c.Strategy.Pyramiding
            ? $"The position already has {c.EntriesInPosition} entr{(c.EntriesInPosition == 1 ? "y" : "ies")}; the strategy allows {c.Strategy.Pyramiding}." : null),
        new DelegateRule("allow_short", c => c.IsEntry && !c.Strategy.AllowShort && c.Leg.Side == OrderSide.Sell
            ? "The strategy does not allow short positions." : null),
        new DelegateRule("max_position_quantity", c => c.IsEntry && c.Strategy.MaxPositionQuantity is { } max && Math.Abs(c.Position + c.SignedQuantity) > max
            ? $"The position would be {Math.Abs(c.Position + c.SignedQuantity):0.########}; the strategy allows {max:0.########}." : null),
        new DelegateRule("max_order_notional", c => c.IsEntry && c.Strategy.MaxOrderNotional is { } max && c.Price is { } price && c.Quantity * price > max
            ? $"The order's notional {c.Quantity * price:0.##} exceeds the strategy's {max:0.##}." : null),
        new DelegateRule("max_daily_loss", c => c.IsEntry && c.Strategy.MaxDailyLoss is { } max && -c.RealizedPnlToday >= max
            ? $"Today's realised loss {-c.RealizedPnlToday:0.##} has reached the strategy's limit {max:0.##}." : null),
    ]);

    public IReadOnlyList<string> RuleNames => rules.Select(r => r.Name).ToList();

    public RiskDecision Evaluate(RiskContext context)
    {
        foreach (var rule in rules)
        {
            if (rule.Check(context) is { } reason)
            {
                return RiskDecision.Reject(rule.Name, reason);
            }
        }

        return RiskDecision.Approve;
    }

    /// <summary>A configured symbol matches with or without its exchange prefix.</summary>
    public static bool SymbolMatches(string configured, string symbol, string? exchange)
    {
        var full = symbol.Contains(':', StringComparison.Ordinal) || exchange is null ? symbol : $"{exchange}:{symbol}";
        var ticker = symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol;
        return configured.Contains(':', StringComparison.Ordinal)
            ? string.Equals(configured, full, StringComparison.OrdinalIgnoreCase)
            : string.Equals(configured, ticker, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class DelegateRule(string name, Func<RiskContext, string?> check) : IRiskRule
    {
        public string Name => name;

        public string? Check(RiskContext context) => check(context);
    }
}
