using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Sizing;

/// <summary>
/// Decides an entry's quantity: the alert's own quantity when given, else the strategy's rule;
/// times the strategy's risk multiplier; rounded down to the lot step. Too small is a rejection, never zero.
/// </summary>
public static class PositionSizer
{
    public static SizingResult Size(SizingInput input)
    {
        var rule = input.Rule;
        decimal raw;
        if (input.AlertQuantity is { } fromAlert)
        {
            raw = fromAlert;
        }
        else
        {
            switch (rule.Mode)
            {
                case SizingModes.Fixed:
                    if (rule.Quantity is not { } fixedQuantity)
                    {
                        return SizingResult.Reject("fixed sizing needs sizing.quantity");
                    }

                    raw = fixedQuantity;
                    break;
                case SizingModes.Notional:
                    if (rule.Amount is not { } amount || input.Price is not > 0m)
                    {
                        return SizingResult.Reject("notional sizing needs sizing.amount and the alert's price");
                    }

                    raw = amount / input.Price.Value;
                    break;
                case SizingModes.PercentEquity:
                    if (rule.Percent is not { } percent || input.Price is not > 0m)
                    {
                        return SizingResult.Reject("percent_equity sizing needs sizing.percent and the alert's price");
                    }

                    raw = input.Equity * percent / 100m / input.Price.Value;
                    break;
                case SizingModes.RiskPercent:
                    if (rule.Percent is not { } riskPercent || input.Price is not > 0m)
                    {
                        return SizingResult.Reject("risk_percent sizing needs sizing.percent and the alert's price");
                    }

                    if (input.StopLoss is not { } stop || stop == input.Price.Value)
                    {
                        return SizingResult.Reject("risk_percent sizing needs a stop_loss in the alert that differs from the price");
                    }

                    raw = input.Equity * riskPercent / 100m / Math.Abs(input.Price.Value - stop);
                    break;
                default:
                    return SizingResult.Reject($"unknown sizing mode \"{rule.Mode}\"");
            }
        }

        var scaled = raw * input.RiskMultiplier;
        var step = input.LotStep > 0m ? input.LotStep : 1m;
        var rounded = Math.Floor(scaled / step) * step;
        var minimum = Math.Max(input.MinQuantity, step);
        if (rounded < minimum)
        {
            return SizingResult.Reject($"the size {scaled:0.########} is below the minimum {minimum:0.########} (lot step {step:0.########})");
        }

        return new SizingResult(rounded, null);
    }
}
