using AlgoSignal.Worker.Telemetry;
using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Contracts;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Takes one accepted alert to its final state in a single PostgreSQL transaction: store, dedupe,
/// strategy, then each route (<see cref="RouteExecution"/>). It reads the facts and stores what the
/// Domain decided (<see cref="AlertGate"/>, <see cref="RouteOutcomes"/>). A redelivered message finds the
/// alert final and does nothing; a crash before commit leaves nothing behind, so the redelivery starts clean.
/// </summary>
public sealed partial class AlertProcessor(
    AlgoSignalDbContext db,
    TimeProvider time,
    PaperBroker paper,
    RouteExecution routes,
    IOptions<TradingOptions> trading,
    Notifications.AlertNotifications notifications,
    AlgoSignal.ServiceDefaults.Telemetry.AlgoSignalMetrics metrics,
    ILogger<AlertProcessor> logger)
{
    public async Task<AlertOutcome> ProcessAsync(AlertReceived message, CancellationToken cancellationToken)
    {
        // The whole alert is one transaction that either commits or is retried from the start, so
        // EF's per-SaveChanges savepoints would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var now = time.GetUtcNow();
        var parsed = AlertParser.Parse(Encoding.UTF8.GetBytes(message.Payload), requireStrategy: message.Strategy is null);
        var plan = AlertGate.Plan(message.Strategy, parsed);
        var dedupeKey = plan.StrategyName is null ? null : DedupeKeys.For(plan.StrategyName, parsed.Payload!, message.Payload);
        var prelude = await AlertPrelude.LoadAsync(db, message.AlertId, dedupeKey, now, now + trading.Value.DedupeWindow, plan.StrategyName, cancellationToken);

        var alert = prelude.AlertExists ? await db.Alerts.FindAsync([message.AlertId], cancellationToken) : null;
        if (alert is not null && AlertStatuses.IsFinal(alert.Status))
        {
            // Nothing of this transaction (the dedupe claim included) is kept: it rolls back.
            LogRedelivered(logger, message.AlertId, alert.Status);
            return new AlertOutcome(alert, Decided: false, NeedsBrokerSubmission: true, []);
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

        var run = await DecideAsync(alert, parsed, plan, dedupeKey, prelude, now, cancellationToken);
        alert.UpdatedAt = now;

        // Told in this transaction: a notification exists exactly when the decision it tells of does.
        notifications.Add(db, alert, parsed.Payload?.Ticker, run.FilledElsewhere, now);
        await db.SaveChangesAsync(cancellationToken);
        // Earlier alerts whose resting orders this alert's price filled settle by the same table as live ones.
        var settled = await AlertSettlements.SettleAlertsOfAsync(db, run.FilledElsewhere, now, cancellationToken, except: alert.AlertId);
        // Last before commit: the cash shard's row lock is held for the commit only.
        await paper.FlushCashAsync(now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        settled.ForEach(metrics.AlertSettled);
        LogProcessed(logger, alert.AlertId, alert.Strategy, alert.Status, alert.Reason ?? "");
        return new AlertOutcome(alert, Decided: true, run.NeedsBrokerSubmission, run.FilledElsewhere);
    }

    /// <summary>The gate, then every route the strategy has for the alert's account; the alert's status and reason combine theirs.</summary>
    private async Task<RouteRun> DecideAsync(
        AlertEntity alert, AlertParseResult parsed, AlertPlan plan, string? dedupeKey, AlertPrelude prelude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan.Rejection is not null)
        {
            return Stop(alert, new GateOutcome.Stopped(AlertStatuses.Rejected, plan.Rejection));
        }

        var payload = parsed.Payload!;
        alert.Strategy = plan.StrategyName;
        alert.SenderAlertId = payload.AlertId;
        alert.DedupeKey = dedupeKey;

        // The key was claimed in this same transaction (the prelude); the alert row follows in the
        // final save (no constraint ties them).
        if (AlertGate.Duplicate(alert.AlertId, payload, prelude.DedupeOwner) is { } duplicate)
        {
            return Stop(alert, duplicate);
        }

        var stored = prelude.Strategy is { } row
            ? AlertGate.Usable(JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase)!, row.Name, row.Enabled, row.Mode)
            : null;
        var gate = AlertGate.Admit(payload, plan.StrategyName!, stored);
        if (gate is GateOutcome.Stopped stopped)
        {
            return Stop(alert, stopped);
        }

        var admitted = (GateOutcome.Admitted)gate;
        var results = new List<RouteResult>(admitted.Routes.Count);
        var filledElsewhere = new List<OrderEntity>();
        var submits = false;
        for (var r = 0; r < admitted.Routes.Count; r++)
        {
            var route = await routes.ExecuteAsync(alert, payload, admitted.Strategy, admitted.Routes[r], r, prelude, now, cancellationToken);
            results.Add(route.Result);
            filledElsewhere.AddRange(route.FilledElsewhere);
            submits |= route.NeedsBrokerSubmission;
        }

        var combined = RouteOutcomes.Combine(results);
        alert.Status = combined.Status;
        alert.Reason ??= combined.Reason;
        return new RouteRun(combined, filledElsewhere, submits);
    }

    private static RouteRun Stop(AlertEntity alert, GateOutcome.Stopped stopped)
    {
        alert.Status = stopped.Status;
        alert.Reason = stopped.Reason;
        if (stopped.DuplicateOf is { } original)
        {
            alert.DuplicateOf = original;
        }

        return new RouteRun(new RouteResult(stopped.Status, stopped.Reason));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} was already {Status}; redelivery ignored")]
    private static partial void LogRedelivered(ILogger logger, Guid alertId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} for {Strategy} ended {Status}. {Reason}")]
    private static partial void LogProcessed(ILogger logger, Guid alertId, string? strategy, string status, string reason);
}

/// <summary>What processing one alert came to, for the consumer to act on after commit.</summary>
/// <param name="Decided">This call decided the alert (its orders and risk decisions are then in the change tracker); false when a redelivery found it already final.</param>
/// <param name="NeedsBrokerSubmission">Orders may wait for a live broker: this alert queued some, or it was redelivered.</param>
/// <param name="FilledElsewhere">Resting orders of earlier alerts that this alert's price filled (their events are due too).</param>
public sealed record AlertOutcome(AlertEntity Alert, bool Decided, bool NeedsBrokerSubmission, IReadOnlyList<OrderEntity> FilledElsewhere);
