using System.Globalization;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Sizing;

namespace AlgoSignal.Domain.Decisions;

/// <summary>
/// Decides one entry or exit leg from its facts: its quantity (the exit's own, or the sizing rule's), the
/// order bounds, then the risk rules; the first that refuses names the rule (docs/architecture.md,
/// "Alert pipeline"). A broker's own capabilities are checked by the worker, which knows the adapter.
/// </summary>
public static class LegDecider
{
    public const string SizingRule = "sizing";

    public static LegDecision Decide(LegFacts facts)
    {
        var (alert, strategy, leg) = (facts.Alert, facts.Strategy, facts.Leg);
        if (leg.Intent == SignalIntent.Cancel)
        {
            throw new ArgumentException("A cancel leg places no order; it is carried out where the resting orders are.", nameof(facts));
        }

        decimal quantity;
        if (leg.Intent == SignalIntent.Exit)
        {
            quantity = leg.Quantity!.Value;
        }
        else if (!facts.IsPaper && LegNeeds.SizesFromEquity(strategy, leg))
        {
            return new LegDecision.Refused(SizingRule,
                "percent sizing needs the account's equity, which AlgoSignal tracks for the paper broker only; use fixed or notional sizing",
                $"Sizing: {strategy.Sizing.Mode} needs the account's equity, which is tracked for the paper broker only.");
        }
        else
        {
            var sizing = Size(facts);
            if (sizing.IsRejected)
            {
                return new LegDecision.Refused(SizingRule, sizing.RejectionReason!, "Sizing: " + sizing.RejectionReason);
            }

            quantity = sizing.Quantity;
        }

        if (OrderBounds.Check(quantity, alert.Price, alert.LimitPrice, alert.StopPrice, alert.TakeProfit, alert.StopLoss) is { } outOfBounds)
        {
            return new LegDecision.Refused(OrderBounds.Rule, outOfBounds, outOfBounds);
        }

        var decision = Risk(facts, quantity);
        if (!decision.Approved)
        {
            return new LegDecision.Refused(decision.Rule!, decision.Reason!, decision.Reason!);
        }

        var entry = leg.Intent == SignalIntent.Entry;
        var order = new OrderToPlace(
            leg.Side.ToText(), OrderIntents.Of(leg.Intent), quantity, alert.OrderType, alert.LimitPrice, alert.StopPrice, alert.TimeInForce,
            entry ? alert.TakeProfit : null, entry ? alert.StopLoss : null);
        return new LegDecision.Place(order, decision);
    }

    /// <summary>The entry's quantity by the strategy's sizing rule; a size beyond decimal's range is refused with a reason.</summary>
    private static SizingResult Size(LegFacts facts)
    {
        var (strategy, leg) = (facts.Strategy, facts.Leg);
        try
        {
            return PositionSizer.Size(new SizingInput(
                strategy.Sizing, strategy.RiskMultiplier, leg.Quantity, facts.Alert.Price, facts.Alert.StopLoss, facts.Equity, facts.LotStep, 0m));
        }
        catch (OverflowException)
        {
            // Decimal arithmetic throws rather than wraps.
            return SizingResult.Reject($"the size overflows (quantity {leg.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "from the sizing rule"} × risk multiplier {strategy.RiskMultiplier.ToString(CultureInfo.InvariantCulture)} in lot steps of {facts.LotStep.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    /// <summary>The risk rules on the sized leg; a kill-switch refusal also says why the switch is on.</summary>
    private static RiskDecision Risk(LegFacts facts, decimal quantity)
    {
        var entry = facts.Leg.Intent == SignalIntent.Entry;
        var decision = RiskEngine.Default.Evaluate(new RiskContext(facts, quantity, facts.Alert.Price)
        {
            // Only an entry that opens a position counts against the account's open positions.
            OpenPositions = entry && facts.Position == 0m ? facts.OpenPositions : 0,
        });
        return !decision.Approved && decision.Rule == RiskEngine.KillSwitchRule && facts.KillSwitchReason is not null
            ? decision with { Reason = $"{decision.Reason} ({facts.KillSwitchReason})" }
            : decision;
    }
}
