using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Decisions;

/// <summary>
/// The early outcomes of an alert, decided from what its transaction read before any route is touched:
/// an invalid body, a strategy the token and the body disagree on, a duplicate, an unknown or disabled
/// strategy, an account that is none of its routes. Pure: the worker reads the facts and stores the
/// outcome (docs/architecture.md, "Alert pipeline").
/// </summary>
public static class AlertGate
{
    /// <summary>
    /// What the alert needs read before deciding: the strategy it names (and so its dedupe key), or
    /// why it is rejected before anything is read.
    /// </summary>
    /// <param name="tokenStrategy">The strategy of the webhook token that brought the alert (null: a shared secret).</param>
    public static AlertPlan Plan(string? tokenStrategy, AlertParseResult parsed)
    {
        if (!parsed.IsValid)
        {
            return new AlertPlan(string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")), null);
        }

        var payload = parsed.Payload!;
        if (tokenStrategy is not null && payload.Strategy is not null && !string.Equals(tokenStrategy, payload.Strategy, StringComparison.Ordinal))
        {
            return new AlertPlan($"The body names strategy \"{payload.Strategy}\" but the webhook token belongs to \"{tokenStrategy}\".", null);
        }

        return new AlertPlan(null, tokenStrategy ?? payload.Strategy!);
    }

    /// <summary>
    /// A planned alert whose dedupe key belongs to an earlier alert ends here, naming it; null when the
    /// key is this alert's own. Decided before the strategy is read, so a repeat is told as one even when
    /// its strategy's stored definition cannot be read.
    /// </summary>
    /// <param name="dedupeOwner">The alert that owns the dedupe key after this alert's claim.</param>
    public static GateOutcome.Stopped? Duplicate(Guid alertId, AlertPayload alert, Guid? dedupeOwner) =>
        dedupeOwner == alertId
            ? null
            : new GateOutcome.Stopped(AlertStatuses.Duplicate, alert.AlertId is null
                ? $"Same payload as alert {dedupeOwner} within the dedupe window."
                : $"alert_id \"{alert.AlertId}\" was already received as alert {dedupeOwner} within the dedupe window.", dedupeOwner);

    /// <summary>Whether an alert that is no repeat goes on to its strategy's routes.</summary>
    /// <param name="strategy">The stored strategy, made usable (<see cref="Usable"/>); null when none has the name.</param>
    public static GateOutcome Admit(AlertPayload alert, string strategyName, StrategyDefinition? strategy)
    {
        if (strategy is null)
        {
            return new GateOutcome.Stopped(AlertStatuses.Rejected, $"Unknown strategy \"{strategyName}\". Create it first (POST /api/v1/strategies).");
        }

        if (!strategy.Enabled)
        {
            return new GateOutcome.Stopped(AlertStatuses.Rejected, $"Strategy \"{strategy.Name}\" is disabled.");
        }

        var routes = alert.Account is null ? strategy.Routes : strategy.Routes.Where(r => r.Account == alert.Account).ToList();
        if (routes.Count == 0)
        {
            return new GateOutcome.Stopped(AlertStatuses.Rejected, alert.Account is null
                ? $"Strategy \"{strategy.Name}\" has no routes."
                : $"Account \"{alert.Account}\" is not one of strategy \"{strategy.Name}\"'s routes.");
        }

        return new GateOutcome.Admitted(strategy, routes);
    }

    /// <summary>
    /// The strategy as the pipeline can use it: a stored definition may predate today's validation,
    /// so null entries in its lists (<c>"routes":[null]</c>) are dropped instead of failing every alert.
    /// Name, state and mode are the row's own columns.
    /// </summary>
    public static StrategyDefinition Usable(StrategyDefinition stored, string name, bool enabled, string mode) => stored with
    {
        Name = name,
        Enabled = enabled,
        Mode = mode,
        Routes = (stored.Routes ?? []).Where(r => r is { Broker: not null, Account: not null }).ToList(),
        Symbols = (stored.Symbols ?? []).Where(s => s is not null).ToList(),
        Timeframes = (stored.Timeframes ?? []).Where(t => t is not null).ToList(),
        Sizing = stored.Sizing ?? new(),
    };

    /// <summary>
    /// Guarantee 6 (docs/architecture.md, "Guarantees"): a live endpoint only for a live strategy with
    /// live trading on globally. Null when the route may go on.
    /// </summary>
    public static RouteResult? LiveEndpoint(string broker, bool brokerIsLive, string environmentReason, bool liveEnabled, string strategyMode) =>
        brokerIsLive && !(liveEnabled && strategyMode == StrategyModes.Live)
            ? new RouteResult(AlertStatuses.RiskRejected, $"{broker} trades real money: {environmentReason}. Only a live strategy with Trading:LiveEnabled may use it.")
            : null;

    /// <summary>A route to a broker this installation has no adapter for.</summary>
    public static RouteResult UnknownBroker(string broker) =>
        new(AlertStatuses.Rejected, $"Broker \"{broker}\" is not configured on this installation (see the README's Brokers section).");
}

/// <summary>The first step's answer: why the alert is rejected already, or the strategy it names.</summary>
public sealed record AlertPlan(string? Rejection, string? StrategyName);

/// <summary>The gate's answer: the alert ends here with a status and reason, or goes on to these routes.</summary>
public abstract record GateOutcome
{
    private GateOutcome()
    {
    }

    /// <summary>The alert ends with this status and reason (a duplicate names the alert it repeats).</summary>
    public sealed record Stopped(string Status, string Reason, Guid? DuplicateOf = null) : GateOutcome;

    /// <summary>The alert goes on to the strategy's routes that match its account.</summary>
    public sealed record Admitted(StrategyDefinition Strategy, IReadOnlyList<StrategyRoute> Routes) : GateOutcome;
}
