using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Risk;

/// <summary>Evaluates the rules in order; the first rejection decides and is recorded with its rule.</summary>
public sealed class RiskEngine(IReadOnlyList<IRiskRule> rules)
{
    public static RiskEngine Default { get; } = new(
    [
        new DelegateRule("kill_switch", c => c.KillSwitchEnabled && c.Leg.Intent == SignalIntent.Entry
            ? "The kill switch is on: no new entries." : null),
        new DelegateRule("strategy_enabled", c => c.Strategy.Enabled ? null : $"Strategy \"{c.Strategy.Name}\" is disabled."),
        new DelegateRule("live_trading", c => c.Strategy.Mode == StrategyModes.Live && !c.LiveTradingEnabled
            ? "The strategy is live but live trading is disabled globally (Trading:LiveEnabled=false)." : null),
        new DelegateRule("symbol_allowed", c => c.Strategy.Symbols.Count == 0 || c.Strategy.Symbols.Any(s => SymbolMatches(s, c.Alert.Symbol, c.Alert.EffectiveExchange))
            ? null : $"Symbol {c.Alert.Symbol} is not in the strategy's symbols ({string.Join(", ", c.Strategy.Symbols)})."),
        new DelegateRule("timeframe_allowed", c => c.Strategy.Timeframes.Count == 0 || c.Alert.Timeframe is null
            || c.Strategy.Timeframes.Contains(c.Alert.Timeframe, StringComparer.OrdinalIgnoreCase)
            ? null : $"Timeframe {c.Alert.Timeframe} is not in the strategy's timeframes ({string.Join(", ", c.Strategy.Timeframes)})."),
        new DelegateRule("max_signal_age", c => c.Strategy.MaxSignalAgeSeconds > 0 && (c.Now - c.ReceivedAt).TotalSeconds > c.Strategy.MaxSignalAgeSeconds
            ? $"The alert is {(c.Now - c.ReceivedAt).TotalSeconds:0} s old; the strategy allows {c.Strategy.MaxSignalAgeSeconds} s." : null),
        new DelegateRule("allow_short", c => !c.Strategy.AllowShort && c.Leg.Intent == SignalIntent.Entry && c.Leg.Side == Orders.OrderSide.Sell
            ? "The strategy does not allow short positions." : null),
    ]);

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
