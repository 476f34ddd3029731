using System.Text;
using System.Text.Json;
using AlgoSignal.Brokers.Paper;
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
    IOptions<TradingOptions> trading,
    ILogger<AlertProcessor> logger)
{
    public async Task<AlertEntity> ProcessAsync(AlertReceived message, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var alert = await db.Alerts.FindAsync([message.AlertId], cancellationToken);
        if (alert is not null && AlertStatuses.IsFinal(alert.Status))
        {
            LogRedelivered(logger, message.AlertId, alert.Status);
            return alert;
        }

        var now = time.GetUtcNow();
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

        await DecideAsync(alert, message, now, cancellationToken);
        alert.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogProcessed(logger, alert.AlertId, alert.Strategy, alert.Status, alert.Reason ?? "");
        return alert;
    }

    private async Task DecideAsync(AlertEntity alert, AlertReceived message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parsed = AlertParser.Parse(Encoding.UTF8.GetBytes(message.Payload), requireStrategy: message.Strategy is null);
        if (!parsed.IsValid)
        {
            Finish(alert, AlertStatuses.Rejected, string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")));
            return;
        }

        var payload = parsed.Payload!;
        if (message.Strategy is not null && payload.Strategy is not null && !string.Equals(message.Strategy, payload.Strategy, StringComparison.Ordinal))
        {
            Finish(alert, AlertStatuses.Rejected, $"The body names strategy \"{payload.Strategy}\" but the webhook token belongs to \"{message.Strategy}\".");
            return;
        }

        var strategyName = message.Strategy ?? payload.Strategy!;
        alert.Strategy = strategyName;
        alert.SenderAlertId = payload.AlertId;
        alert.DedupeKey = DedupeKeys.For(strategyName, payload, message.Payload);

        // The alert row must exist before its dedupe key may point at it.
        await db.SaveChangesAsync(cancellationToken);
        var owner = await ClaimDedupeKeyAsync(alert.DedupeKey, alert.AlertId, now, cancellationToken);
        if (owner != alert.AlertId)
        {
            alert.DuplicateOf = owner;
            Finish(alert, AlertStatuses.Duplicate, payload.AlertId is null
                ? $"Same payload as alert {owner} within the dedupe window."
                : $"alert_id \"{payload.AlertId}\" was already received as alert {owner} within the dedupe window.");
            return;
        }

        var strategyEntity = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == strategyName, cancellationToken);
        if (strategyEntity is null)
        {
            Finish(alert, AlertStatuses.Rejected, $"Unknown strategy \"{strategyName}\". Create it first (POST /api/v1/strategies).");
            return;
        }

        var strategy = JsonSerializer.Deserialize<StrategyDefinition>(strategyEntity.Definition, JsonDefaults.SnakeCase)!
            with { Name = strategyEntity.Name, Enabled = strategyEntity.Enabled, Mode = strategyEntity.Mode };
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
            var result = await ExecuteRouteAsync(alert, payload, strategy, routes[r], r, now, cancellationToken);
            if (result.Status != AlertStatuses.Filled)
            {
                outcome = result.Status;
                alert.Reason ??= result.Reason;
            }
        }

        alert.Status = outcome;
    }

    private async Task<RouteResult> ExecuteRouteAsync(
        AlertEntity alert, AlertPayload payload, StrategyDefinition strategy, StrategyRoute route, int routeIndex, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (route.Broker != "paper")
        {
            return new RouteResult(AlertStatuses.Rejected, $"Broker \"{route.Broker}\" has no adapter configured on this installation.");
        }

        var symbol = payload.Ticker;
        await paper.LockAsync(route.Account, symbol, cancellationToken);
        var position = await paper.GetPositionAsync(route.Account, symbol, cancellationToken);
        var mapping = SignalMapper.Map(payload, position.Quantity);
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

        var status = AlertStatuses.Filled;
        foreach (var leg in mapping.Legs)
        {
            var context = new RiskContext(payload, strategy, leg, position.Quantity, alert.ReceivedAt, now, trading.Value.LiveEnabled, KillSwitchEnabled: false);
            var decision = RiskEngine.Default.Evaluate(context);
            db.RiskDecisions.Add(new RiskDecisionEntity
            {
                AlertId = alert.AlertId,
                Decision = decision.Approved ? "approved" : "rejected",
                Rule = decision.Rule,
                Reason = decision.Reason,
                CreatedAt = now,
            });
            if (!decision.Approved)
            {
                return new RouteResult(AlertStatuses.RiskRejected, decision.Reason);
            }

            var clientOrderId = Domain.Orders.ClientOrderId.For(alert.AlertId, (routeIndex * 10) + leg.Index, route.Broker, route.Account);
            var placed = await paper.PlaceAsync(alert.AlertId, clientOrderId, route.Account, symbol, leg, payload, strategy, now, cancellationToken);
            if (placed.Status != AlertStatuses.Filled)
            {
                return placed;
            }

            position = await paper.GetPositionAsync(route.Account, symbol, cancellationToken);
        }

        return new RouteResult(status, null);
    }

    private async Task<Guid> ClaimDedupeKeyAsync(string key, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expires = now + trading.Value.DedupeWindow;

        // One statement, so two workers racing for the same key cannot both win: a live key keeps its
        // owner; an expired one (or a redelivery of the owner itself) is taken over.
        var owners = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO dedupe_keys (key, alert_id, expires_at) VALUES ({key}, {alertId}, {expires})
            ON CONFLICT (key) DO UPDATE SET alert_id = EXCLUDED.alert_id, expires_at = EXCLUDED.expires_at
                WHERE dedupe_keys.expires_at <= {now} OR dedupe_keys.alert_id = EXCLUDED.alert_id
            RETURNING alert_id AS "Value"
            """).ToListAsync(cancellationToken);
        if (owners.Count == 1)
        {
            return owners[0];
        }

        return await db.Database.SqlQuery<Guid>($"SELECT alert_id AS \"Value\" FROM dedupe_keys WHERE key = {key}").SingleAsync(cancellationToken);
    }

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
