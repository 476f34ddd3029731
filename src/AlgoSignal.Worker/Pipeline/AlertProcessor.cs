using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Sizing;
using AlgoSignal.Contracts;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Takes one accepted alert to its final state in a single PostgreSQL transaction: store, dedupe,
/// strategy, signal, risk, size, order, paper fill. A redelivered message finds the alert final and
/// does nothing; a crash before commit leaves nothing behind, so the redelivery starts clean.
/// </summary>
public sealed partial class AlertProcessor(
    AlgoSignalDbContext db,
    TimeProvider time,
    PaperExecution paper,
    BrokerRegistry brokers,
    RiskFacts facts,
    RoutePredictions predictions,
    IOptions<TradingOptions> trading,
    IOptions<PaperBrokerOptions> paperOptions,
    Notifications.AlertNotifications notifications,
    ILogger<AlertProcessor> logger)
{
    /// <summary>Resting orders of earlier alerts that this alert's price filled (their events are due too).</summary>
    public List<OrderEntity> FilledElsewhere { get; } = [];

    /// <summary>
    /// True when this call decided the alert (its orders and risk decisions are then in the change
    /// tracker); false when a redelivery found it already final.
    /// </summary>
    public bool Decided { get; private set; }

    /// <summary>True when orders may wait for a live broker: this alert queued some, or it was redelivered.</summary>
    public bool NeedsBrokerSubmission { get; private set; }

    public async Task<AlertEntity> ProcessAsync(AlertReceived message, CancellationToken cancellationToken)
    {
        // The whole alert is one transaction that either commits or is retried from the start, so
        // EF's per-SaveChanges savepoints would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var now = time.GetUtcNow();
        var parsed = AlertParser.Parse(Encoding.UTF8.GetBytes(message.Payload), requireStrategy: message.Strategy is null);
        var plan = Plan(message, parsed);
        var predicted = plan.Rejection is null ? predictions.For(plan.StrategyName, parsed.Payload!.Account, parsed.Payload.Ticker) : null;
        var prelude = await AlertPrelude.LoadAsync(db, message.AlertId, plan.DedupeKey, now, now + trading.Value.DedupeWindow, plan.StrategyName, predicted, cancellationToken);
        if (prelude.Book is not null)
        {
            paper.AddBook(predicted!, prelude.Book);
        }

        var alert = prelude.AlertExists ? await db.Alerts.FindAsync([message.AlertId], cancellationToken) : null;
        if (alert is not null && AlertStatuses.IsFinal(alert.Status))
        {
            // Nothing of this transaction (the dedupe claim included) is kept: it rolls back.
            LogRedelivered(logger, message.AlertId, alert.Status);
            NeedsBrokerSubmission = true;
            return alert;
        }

        if (alert is null)
        {
            alert = new AlertEntity
            {
                AlertId = message.AlertId,
                Source = message.Source,
                SourceIp = message.SourceIp,
                Strategy = message.Strategy,
                Status = AlertStatuses.Received,
                ReceivedAt = message.ReceivedAt,
                UpdatedAt = now,
                Payload = message.Payload,
            };
            db.Alerts.Add(alert);
        }

        await DecideAsync(alert, parsed, plan, prelude, now, cancellationToken);
        alert.UpdatedAt = now;

        // Told in this transaction: a notification exists exactly when the decision it tells of does.
        notifications.Add(db, alert, parsed.Payload?.Ticker, FilledElsewhere, now);
        await db.SaveChangesAsync(cancellationToken);
        await paper.FlushCashAsync(now, cancellationToken);
        await UpdateAlertsOfRestingFillsAsync(alert, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Decided = true;
        LogProcessed(logger, alert.AlertId, alert.Strategy, alert.Status, alert.Reason ?? "");
        return alert;
    }

    /// <summary>What the alert needs read before deciding: the strategy it names and its dedupe key (none when it is rejected already).</summary>
    private static AlertPlan Plan(AlertReceived message, AlertParseResult parsed)
    {
        if (!parsed.IsValid)
        {
            return new AlertPlan(string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")), null, null);
        }

        var payload = parsed.Payload!;
        if (message.Strategy is not null && payload.Strategy is not null && !string.Equals(message.Strategy, payload.Strategy, StringComparison.Ordinal))
        {
            return new AlertPlan($"The body names strategy \"{payload.Strategy}\" but the webhook token belongs to \"{message.Strategy}\".", null, null);
        }

        var strategyName = message.Strategy ?? payload.Strategy!;
        return new AlertPlan(null, strategyName, DedupeKeys.For(strategyName, payload, message.Payload));
    }

    private async Task DecideAsync(AlertEntity alert, AlertParseResult parsed, AlertPlan plan, AlertPrelude prelude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan.Rejection is not null)
        {
            Finish(alert, AlertStatuses.Rejected, plan.Rejection);
            return;
        }

        var payload = parsed.Payload!;
        var strategyName = plan.StrategyName!;
        alert.Strategy = strategyName;
        alert.SenderAlertId = payload.AlertId;
        alert.DedupeKey = plan.DedupeKey;

        // The key was claimed in this same transaction (the prelude); the alert row follows in the
        // final save (no constraint ties them).
        var owner = prelude.DedupeOwner;
        if (owner != alert.AlertId)
        {
            alert.DuplicateOf = owner;
            Finish(alert, AlertStatuses.Duplicate, payload.AlertId is null
                ? $"Same payload as alert {owner} within the dedupe window."
                : $"alert_id \"{payload.AlertId}\" was already received as alert {owner} within the dedupe window.");
            return;
        }

        var strategyEntity = prelude.Strategy;
        if (strategyEntity is null)
        {
            Finish(alert, AlertStatuses.Rejected, $"Unknown strategy \"{strategyName}\". Create it first (POST /api/v1/strategies).");
            return;
        }

        var strategy = Usable(JsonSerializer.Deserialize<StrategyDefinition>(strategyEntity.Definition, JsonDefaults.SnakeCase)!)
            with { Name = strategyEntity.Name, Enabled = strategyEntity.Enabled, Mode = strategyEntity.Mode };
        predictions.Remember(strategy);
        if (!strategy.Enabled)
        {
            Finish(alert, AlertStatuses.Rejected, $"Strategy \"{strategy.Name}\" is disabled.");
            return;
        }

        var routes = payload.Account is null ? strategy.Routes : strategy.Routes.Where(r => r.Account == payload.Account).ToList();
        if (routes.Count == 0)
        {
            Finish(alert, AlertStatuses.Rejected, payload.Account is null
                ? $"Strategy \"{strategy.Name}\" has no routes."
                : $"Account \"{payload.Account}\" is not one of strategy \"{strategy.Name}\"'s routes.");
            return;
        }

        var outcome = AlertStatuses.Filled;
        for (var r = 0; r < routes.Count; r++)
        {
            var result = await ExecuteRouteAsync(alert, payload, strategy, routes[r], r, prelude, now, cancellationToken);
            if (result.Status != AlertStatuses.Filled)
            {
                outcome = result.Status;
                alert.Reason ??= result.Reason;
            }
        }

        alert.Status = outcome;
    }

    private async Task<RouteResult> ExecuteRouteAsync(
        AlertEntity alert, AlertPayload payload, StrategyDefinition strategy, StrategyRoute route, int routeIndex, AlertPrelude prelude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var isPaper = route.Broker == PaperExecution.Broker;
        var adapter = isPaper ? null : brokers.Find(route.Broker);
        if (!isPaper && adapter is null)
        {
            return new RouteResult(AlertStatuses.Rejected, $"Broker \"{route.Broker}\" is not configured on this installation (see the README's Brokers section).");
        }

        if (adapter is { IsLive: true } && !(trading.Value.LiveEnabled && strategy.Mode == StrategyModes.Live))
        {
            // Guarantee 6 (docs/architecture.md, "Guarantees"): a live endpoint only for a live strategy with live trading on globally.
            return new RouteResult(AlertStatuses.RiskRejected, $"{route.Broker} trades real money: {adapter.EnvironmentReason}. Only a live strategy with Trading:LiveEnabled may use it.");
        }

        var symbol = payload.Ticker;
        var book = await paper.LoadBookAsync(route.Account, symbol, cancellationToken, route.Broker);
        if (isPaper && payload.Price is { } observed)
        {
            // A new price for the symbol: resting orders it crosses fill first, as they would have.
            FilledElsewhere.AddRange(await paper.MatchRestingAsync(route.Account, symbol, observed, now, cancellationToken));
        }

        var position = await paper.FindPositionAsync(route.Account, symbol, cancellationToken, route.Broker);
        var mapping = SignalMapper.Map(payload, position?.Quantity ?? 0m);
        alert.Signal ??= JsonSerializer.Serialize(new
        {
            action = payload.Action,
            symbol = payload.Symbol,
            exchange = payload.EffectiveExchange,
            legs = mapping.Legs.Select(l => new { intent = l.Intent, side = l.Side, quantity = l.Quantity }),
            rejection = mapping.RejectionReason,
        }, JsonDefaults.SnakeCase);
        if (mapping.IsRejected)
        {
            return new RouteResult(AlertStatuses.Rejected, mapping.RejectionReason);
        }

        var (killSwitch, killReason) = (prelude.KillSwitch, prelude.KillSwitchReason);
        var status = AlertStatuses.Filled;
        var placed = new List<OrderEntity>();
        foreach (var leg in mapping.Legs)
        {
            // A leg refused after an earlier one was placed (the exit of a reversal) must not hide that
            // order: the alert then ends partially_executed, naming both.
            RouteResult Refuse(string rule, string reason, string? summary = null)
            {
                RecordRisk(alert, RiskDecision.Reject(rule, reason), now);
                return Refused(placed, leg, rule, summary ?? reason);
            }

            if (leg.Intent == SignalIntent.Cancel && !isPaper)
            {
                // Cancelled at the broker after commit (BrokerSubmitter); the orders say so meanwhile.
                var resting = await db.Orders.Where(o => o.Broker == route.Broker && o.Account == route.Account && o.Symbol == symbol && o.Status == Domain.Orders.OrderStatuses.Accepted).ToListAsync(cancellationToken);
                resting.ForEach(o => o.Status = "cancelling");
                NeedsBrokerSubmission |= resting.Count > 0;
                return new RouteResult(AlertStatuses.Cancelled, resting.Count == 0 ? "No resting orders to cancel." : $"{resting.Count} resting order(s) being cancelled.");
            }

            if (leg.Intent == SignalIntent.Cancel)
            {
                var cancelled = await paper.CancelRestingAsync(route.Account, symbol, $"cancelled by alert {alert.AlertId}", now, cancellationToken);
                return new RouteResult(AlertStatuses.Cancelled, cancelled == 0 ? "No resting orders to cancel." : $"{cancelled} resting order(s) cancelled.");
            }

            var current = position?.Quantity ?? 0m;
            decimal quantity;
            if (leg.Intent == SignalIntent.Exit)
            {
                quantity = leg.Quantity!.Value;
            }
            else if (!isPaper && NeedsEquity(strategy, leg))
            {
                return Refuse("sizing", "percent sizing needs the account's equity, which AlgoSignal tracks for the paper broker only; use fixed or notional sizing",
                    $"Sizing: {strategy.Sizing.Mode} needs the account's equity, which is tracked for the paper broker only.");
            }
            else
            {
                var equity = NeedsEquity(strategy, leg) ? await paper.EquityAsync(route.Account, now, cancellationToken) : 0m;
                SizingResult sizing;
                try
                {
                    sizing = PositionSizer.Size(new SizingInput(
                        strategy.Sizing, strategy.RiskMultiplier, leg.Quantity, payload.Price, payload.StopLoss, equity, paperOptions.Value.LotStep, 0m));
                }
                catch (OverflowException)
                {
                    // Decimal arithmetic throws rather than wraps: a size beyond its range is refused with a reason.
                    sizing = SizingResult.Reject($"the size overflows (quantity {leg.Quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "from the sizing rule"} × risk multiplier {strategy.RiskMultiplier.ToString(System.Globalization.CultureInfo.InvariantCulture)} in lot steps of {paperOptions.Value.LotStep.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
                }

                if (sizing.IsRejected)
                {
                    return Refuse("sizing", sizing.RejectionReason!, "Sizing: " + sizing.RejectionReason);
                }

                quantity = sizing.Quantity;
            }

            if (OrderBounds.Check(quantity, payload.Price, payload.LimitPrice, payload.StopPrice, payload.TakeProfit, payload.StopLoss) is { } outOfBounds)
            {
                return Refuse(OrderBounds.Rule, outOfBounds);
            }

            var context = new RiskContext
            {
                Alert = payload,
                Strategy = strategy,
                Leg = leg,
                Position = current,
                Quantity = quantity,
                Price = payload.Price,
                ReceivedAt = alert.ReceivedAt,
                Now = now,
                LiveTradingEnabled = trading.Value.LiveEnabled,
                KillSwitchEnabled = killSwitch,
                KillSwitchAllowsExits = trading.Value.KillSwitchAllowsExits,
                // Each fact is read only when its rule can use it: the hot path stays a few queries.
                OrdersLastMinute = strategy.MaxOrdersPerMinute > 0 ? await facts.OrdersLastMinuteAsync(strategy.Name, now, cancellationToken) : 0,
                OpenPositions = leg.Intent == SignalIntent.Entry && current == 0m ? book.OpenPositions : 0,
                EntriesInPosition = position?.Entries ?? 0,
                RealizedPnlToday = leg.Intent == SignalIntent.Entry && strategy.MaxDailyLoss is not null ? await facts.RealizedPnlTodayAsync(strategy.Name, route.Account, now, cancellationToken) : 0m,
            };
            var decision = RiskEngine.Default.Evaluate(context);
            if (!decision.Approved && decision.Rule == "kill_switch" && killReason is not null)
            {
                decision = decision with { Reason = $"{decision.Reason} ({killReason})" };
            }

            if (!decision.Approved)
            {
                return Refuse(decision.Rule!, decision.Reason!);
            }

            RecordRisk(alert, decision, now);

            var order = new OrderEntity
            {
                AlertId = alert.AlertId,
                Leg = (routeIndex * 10) + leg.Index,
                Broker = route.Broker,
                Account = route.Account,
                ClientOrderId = Domain.Orders.ClientOrderId.For(alert.AlertId, (routeIndex * 10) + leg.Index, route.Broker, route.Account),
                Symbol = symbol,
                Side = leg.Side == OrderSide.Buy ? "buy" : "sell",
                Intent = leg.Intent == SignalIntent.Entry ? "entry" : "exit",
                Quantity = quantity,
                OrderType = payload.OrderType,
                LimitPrice = payload.LimitPrice,
                StopPrice = payload.StopPrice,
                TimeInForce = payload.TimeInForce,
                Status = "new",
                Strategy = strategy.Name,
                TakeProfit = leg.Intent == SignalIntent.Entry ? payload.TakeProfit : null,
                StopLoss = leg.Intent == SignalIntent.Entry ? payload.StopLoss : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
            if (adapter is not null)
            {
                if (adapter.Capabilities.Check(BrokerSubmitter.ToBrokerOrder(order, payload.Price)) is { } unsupported)
                {
                    return Refuse("broker_capabilities", $"{route.Broker}: {unsupported}");
                }

                // Sent after this transaction commits (BrokerSubmitter): no network call holds the lock,
                // and a crash in between resumes from this row by its client order id.
                order.Status = "submitting";
                order.Events.Add(new OrderEventEntity { Type = "submitting", Quantity = order.Quantity, Price = payload.Price, CreatedAt = now });
                await db.Orders.AddAsync(order, cancellationToken);
                placed.Add(order);
                NeedsBrokerSubmission = true;
                status = AlertStatuses.Ordered;
                continue;
            }

            await paper.PlaceAsync(order, payload.Price, now, cancellationToken);
            placed.Add(order);
            if (order.Status != Domain.Orders.OrderStatuses.Filled)
            {
                status = AlertStatuses.Ordered;
            }

            position = await paper.FindPositionAsync(route.Account, symbol, cancellationToken);
        }

        return new RouteResult(status, null);
    }

    /// <summary>
    /// A leg refused: <c>risk_rejected</c> with the rule, or, when earlier legs of the alert were already
    /// placed (a reversal's exit), <c>partially_executed</c> saying what executed and what was refused.
    /// </summary>
    private static RouteResult Refused(List<OrderEntity> placed, SignalLeg leg, string rule, string reason)
    {
        if (placed.Count == 0)
        {
            return new RouteResult(AlertStatuses.RiskRejected, reason);
        }

        var done = string.Join(" and ", placed.Select(o =>
            $"the {o.Intent} ({o.Side} {o.Quantity.ToString("0.########", System.Globalization.CultureInfo.InvariantCulture)}) {(o.Status == Domain.Orders.OrderStatuses.Filled ? "filled" : "was placed")}"));
        var refused = leg.Intent == SignalIntent.Entry ? "entry" : "exit";
        return new RouteResult(AlertStatuses.PartiallyExecuted, $"Partially executed: {done}; the {refused} was rejected by rule {rule}: {reason}");
    }

    /// <summary>
    /// The strategy as the pipeline can use it: a stored definition may predate today's validation,
    /// so null entries in its lists (<c>"routes":[null]</c>) are dropped instead of failing every alert.
    /// </summary>
    private static StrategyDefinition Usable(StrategyDefinition strategy) => strategy with
    {
        Routes = (strategy.Routes ?? []).Where(r => r is { Broker: not null, Account: not null }).ToList(),
        Symbols = (strategy.Symbols ?? []).Where(s => s is not null).ToList(),
        Timeframes = (strategy.Timeframes ?? []).Where(t => t is not null).ToList(),
        Sizing = strategy.Sizing ?? new(),
    };

    /// <summary>Equity matters only to sizing rules that size from it, when the alert gives no quantity.</summary>
    private static bool NeedsEquity(StrategyDefinition strategy, SignalLeg leg) =>
        leg.Quantity is null && strategy.Sizing.Mode is SizingModes.PercentEquity or SizingModes.RiskPercent;

    private void RecordRisk(AlertEntity alert, RiskDecision decision, DateTimeOffset now) =>
        db.RiskDecisions.Add(new RiskDecisionEntity
        {
            AlertId = alert.AlertId,
            Decision = decision.Approved ? Domain.Risk.RiskOutcomes.Approved : Domain.Risk.RiskOutcomes.Rejected,
            Rule = decision.Rule,
            Reason = decision.Reason,
            CreatedAt = now,
        });

    private async Task UpdateAlertsOfRestingFillsAsync(AlertEntity current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var alertId in FilledElsewhere.Where(o => o.Role == "main").Select(o => o.AlertId).Distinct())
        {
            if (alertId == current.AlertId)
            {
                continue;
            }

            var other = await db.Alerts.FindAsync([alertId], cancellationToken);
            var pending = await db.Orders.CountAsync(o => o.AlertId == alertId && o.Role == "main" && o.Status == Domain.Orders.OrderStatuses.Accepted, cancellationToken);
            if (other is not null && other.Status == AlertStatuses.Ordered && pending == 0)
            {
                other.Status = AlertStatuses.Filled;
                other.UpdatedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record AlertPlan(string? Rejection, string? StrategyName, string? DedupeKey);

    private static void Finish(AlertEntity alert, string status, string? reason)
    {
        alert.Status = status;
        alert.Reason = reason;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} was already {Status}; redelivery ignored")]
    private static partial void LogRedelivered(ILogger logger, Guid alertId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} for {Strategy} ended {Status}. {Reason}")]
    private static partial void LogProcessed(ILogger logger, Guid alertId, string? strategy, string status, string reason);
}
