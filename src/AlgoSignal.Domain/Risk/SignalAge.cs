using AlgoSignal.Domain.Alerts;

namespace AlgoSignal.Domain.Risk;

/// <summary>
/// The <c>max_signal_age</c> rule. TradingView documents that alerts can reach the webhook late, so the age is
/// measured from the alert's own <c>time</c> when it carries one, and from its receipt otherwise (then only
/// the queue wait counts); the rejection says which.
/// </summary>
public static class SignalAge
{
    public static string? Check(RiskContext c)
    {
        var max = c.Strategy.MaxSignalAgeSeconds;
        if (max <= 0)
        {
            return null;
        }

        if (AlertTime.TryParse(c.Alert.Time, out var sent))
        {
            var age = (c.Now - sent).TotalSeconds;
            return age > max
                ? $"The alert's own time ({sent:yyyy-MM-ddTHH:mm:ssZ}) is {age:0} s old; the strategy allows {max} s (max_signal_age_seconds)."
                : null;
        }

        var waited = (c.Now - c.ReceivedAt).TotalSeconds;
        return waited > max
            ? $"The alert was received {waited:0} s ago and carries no time of its own; the strategy allows {max} s (max_signal_age_seconds)."
            : null;
    }
}
