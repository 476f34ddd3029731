using System.Globalization;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Signals;

namespace AlgoSignal.Domain.Decisions;

/// <summary>How the routes of an alert end, and how their results make the alert's status and reason.</summary>
public static class RouteOutcomes
{
    /// <summary>
    /// The alert's status and reason from its routes, in route order: <c>filled</c> when every route
    /// filled; else the status of the last route that did not, with the first reason given.
    /// </summary>
    public static RouteResult Combine(IEnumerable<RouteResult> routes)
    {
        var status = AlertStatuses.Filled;
        string? reason = null;
        foreach (var route in routes)
        {
            if (route.Status != AlertStatuses.Filled)
            {
                status = route.Status;
                reason ??= route.Reason;
            }
        }

        return new RouteResult(status, reason);
    }

    /// <summary>
    /// A leg refused: <c>risk_rejected</c> with the rule's text, or, when earlier legs of the route were
    /// already placed (a reversal's exit), <c>partially_executed</c> saying what executed and what was
    /// refused — a placed order must not be hidden by the refusal after it.
    /// </summary>
    /// <param name="summary">The refusal as the alert tells it (<see cref="LegDecision.Refused.Summary"/>).</param>
    public static RouteResult Refused(IReadOnlyList<PlacedLeg> placed, SignalIntent refused, string rule, string summary)
    {
        if (placed.Count == 0)
        {
            return new RouteResult(AlertStatuses.RiskRejected, summary);
        }

        var done = string.Join(" and ", placed.Select(o =>
            $"the {o.Intent} ({o.Side} {o.Quantity.ToString("0.########", CultureInfo.InvariantCulture)}) {(o.Filled ? "filled" : "was placed")}"));
        return new RouteResult(AlertStatuses.PartiallyExecuted, $"Partially executed: {done}; the {OrderIntents.Of(refused)} was rejected by rule {rule}: {summary}");
    }

    /// <summary>A cancel alert on the paper broker: its resting orders are cancelled at once.</summary>
    public static RouteResult CancelledOnPaper(int cancelled) =>
        new(AlertStatuses.Cancelled, cancelled == 0 ? "No resting orders to cancel." : $"{cancelled} resting order(s) cancelled.");

    /// <summary>A cancel alert on a live broker: the orders are cancelled there once the transaction commits.</summary>
    public static RouteResult CancellingAtBroker(int resting) =>
        new(AlertStatuses.Cancelled, resting == 0 ? "No resting orders to cancel." : $"{resting} resting order(s) being cancelled.");
}

/// <summary>An order a route already placed for the alert, as a later refusal tells of it.</summary>
/// <param name="Intent">Stored intent (<see cref="OrderIntents"/>).</param>
/// <param name="Side">Stored side (<see cref="OrderSides"/>).</param>
/// <param name="Filled">It filled at once (else it was placed and rests or waits for its broker).</param>
public sealed record PlacedLeg(string Intent, string Side, decimal Quantity, bool Filled);
