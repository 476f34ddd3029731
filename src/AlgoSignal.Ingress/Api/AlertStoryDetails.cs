using System.Globalization;
using System.Text.Json;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// What the alert story derives from the stored rows (README, "The alert story"): the risk rules evaluated and
/// the sizing arithmetic. The worker stores the deciding rule and its reason, not each rule's inputs, so the
/// rules that passed are listed by name (with their limit when the strategy is unchanged since the decision).
/// </summary>
public static class AlertStoryDetails
{
    /// <summary>The decision words the worker stores in <c>risk_decisions.decision</c>.</summary>
    public const string Approved = Domain.Risk.RiskOutcomes.Approved;

    /// <summary>Refusals made after the engine approved (the broker cannot take that order).</summary>
    private const string AfterEngineRule = "broker_capabilities";

    public static IReadOnlyList<RiskRuleView> Rules(RiskDecisionEntity decision, StrategyDefinition? unchangedStrategy, decimal? notional)
    {
        var names = RiskEngine.Default.RuleNames;
        var rules = new List<RiskRuleView>();
        int passedCount;
        if (decision.Decision == Approved)
        {
            passedCount = names.Count;
        }
        else
        {
            var index = decision.Rule is null ? -1 : names.ToList().IndexOf(decision.Rule);

            // The engine runs its rules in order and stops at the first refusal; sizing and order bounds are
            // checked before it (so none of its rules ran), broker capabilities after it (so all passed).
            passedCount = index >= 0 ? index : decision.Rule == AfterEngineRule ? names.Count : 0;
        }

        for (var i = 0; i < passedCount; i++)
        {
            rules.Add(new RiskRuleView(names[i], true, ValueOf(names[i], notional), LimitOf(names[i], unchangedStrategy), null));
        }

        if (decision.Decision != Approved && decision.Rule is { } failed)
        {
            rules.Add(new RiskRuleView(failed, false, ValueOf(failed, notional), LimitOf(failed, unchangedStrategy), decision.Reason));
        }

        return rules;
    }

    /// <summary>
    /// The arithmetic of the entry's quantity, rebuilt from the alert, the strategy's sizing rule and the quantity
    /// placed. Equity-based modes name the equity they imply: the equity at that moment is not stored.
    /// </summary>
    public static SizingView? Sizing(JsonElement payload, OrderEntity? entry, StrategyDefinition? strategy, bool changedSince)
    {
        if (entry is null || strategy is null)
        {
            return null;
        }

        var rule = strategy.Sizing;
        var multiplier = strategy.RiskMultiplier;
        var price = Number(payload, "price");
        var placed = entry.Quantity;
        if (Number(payload, "quantity") is { } fromAlert)
        {
            return new SizingView(rule.Mode, "alert", fromAlert, multiplier, placed,
                $"alert quantity {D(fromAlert)} × risk multiplier {D(multiplier)} = {D(fromAlert * multiplier)} → {D(placed)} (rounded down to the lot step)", changedSince);
        }

        switch (rule.Mode)
        {
            case SizingModes.Fixed when rule.Quantity is { } fixedQuantity:
                return new SizingView(rule.Mode, "sizing.quantity", fixedQuantity, multiplier, placed,
                    $"sizing.quantity {D(fixedQuantity)} × risk multiplier {D(multiplier)} = {D(fixedQuantity * multiplier)} → {D(placed)} (rounded down to the lot step)", changedSince);
            case SizingModes.Notional when rule.Amount is { } amount && price is > 0m:
                var raw = amount / price.Value;
                return new SizingView(rule.Mode, "sizing.amount", raw, multiplier, placed,
                    $"sizing.amount {D(amount)} ÷ price {D(price.Value)} = {D(raw)} × risk multiplier {D(multiplier)} = {D(raw * multiplier)} → {D(placed)} (rounded down to the lot step)", changedSince);
            case SizingModes.PercentEquity when rule.Percent is { } percent && price is > 0m && percent > 0m && multiplier > 0m:
                return new SizingView(rule.Mode, "equity", null, multiplier, placed,
                    $"equity × sizing.percent {D(percent)} % ÷ price {D(price.Value)} × risk multiplier {D(multiplier)} → {D(placed)} (rounded down to the lot step); "
                    + $"the equity at that moment is not stored (this quantity implies ≈ {D(Math.Round(placed * price.Value * 100m / percent / multiplier, 2))})", changedSince);
            case SizingModes.RiskPercent when rule.Percent is { } riskPercent && price is > 0m && Number(payload, "stop_loss") is { } stop:
                return new SizingView(rule.Mode, "equity", null, multiplier, placed,
                    $"equity × sizing.percent {D(riskPercent)} % ÷ |price {D(price.Value)} − stop_loss {D(stop)}| = equity × {D(riskPercent)} % ÷ {D(Math.Abs(price.Value - stop))} "
                    + $"× risk multiplier {D(multiplier)} → {D(placed)} (rounded down to the lot step); the equity at that moment is not stored", changedSince);
            default:
                return new SizingView(rule.Mode, "unknown", null, multiplier, placed,
                    $"{D(placed)} placed; the strategy's sizing rule ({rule.Mode}) no longer explains it", true);
        }
    }

    private static object? ValueOf(string rule, decimal? notional) => rule == "max_order_notional" ? notional : null;

    private static object? LimitOf(string rule, StrategyDefinition? s) => s is null ? null : rule switch
    {
        "symbol_allowed" => s.Symbols.Count == 0 ? "any symbol" : s.Symbols,
        "timeframe_allowed" => s.Timeframes.Count == 0 ? "any timeframe" : s.Timeframes,
        "max_signal_age" => s.MaxSignalAgeSeconds,
        "trading_window" => s.TradingWindow,
        "max_orders_per_minute" => s.MaxOrdersPerMinute,
        "max_positions" => s.MaxPositions,
        "pyramiding" => s.Pyramiding,
        "allow_short" => s.AllowShort,
        "max_position_quantity" => s.MaxPositionQuantity,
        "max_order_notional" => s.MaxOrderNotional,
        "max_daily_loss" => s.MaxDailyLoss,
        _ => null,
    };

    public static decimal? Number(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : null;

    private static string D(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
