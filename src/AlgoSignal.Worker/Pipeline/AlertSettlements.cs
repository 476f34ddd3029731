using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The Domain's one settlement table (<see cref="AlertSettlement"/>) on stored rows: an alert whose orders moved —
/// a paper price crossing them, a broker's answer, a polled or streamed fill — takes the state its main orders give it.
/// </summary>
public static class AlertSettlements
{
    /// <summary>Moves the alert in the change tracker (the caller saves it).</summary>
    /// <returns>The alert when it moved; null when it stays as it is.</returns>
    public static async Task<AlertEntity?> SettleAsync(AlgoSignalDbContext db, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.FindAsync([alertId], cancellationToken);
        if (alert is null || !Domain.Alerts.AlertStatuses.TryParse(alert.Status, out var current) || !AlertSettlement.Awaits(current))
        {
            return null;
        }

        var rows = await db.Orders.Where(o => o.AlertId == alertId && o.Role == OrderRoles.Main).OrderBy(o => o.Id)
            .Select(o => new { o.Status, o.Reason }).ToListAsync(cancellationToken);
        var orders = new List<(OrderStatus Status, string? Reason)>(rows.Count);
        foreach (var row in rows)
        {
            if (!OrderStatuses.TryParse(row.Status, out var status))
            {
                // An order in no state the table knows (not yet placed): the alert waits for it.
                return null;
            }

            orders.Add((status, row.Reason));
        }

        if (AlertSettlement.Settle(current, orders) is not { } next)
        {
            return null;
        }

        alert.Status = Domain.Alerts.AlertStatuses.ToText(next.Status);
        alert.Reason = next.Reason ?? alert.Reason;
        alert.UpdatedAt = now;
        return alert;
    }

    /// <summary>Settles the alert, saves it when it moved and counts its new state.</summary>
    public static async Task SettleAndCountAsync(AlgoSignalDbContext db, AlgoSignalMetrics metrics, Guid alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await SettleAsync(db, alertId, now, cancellationToken) is { } alert)
        {
            await db.SaveChangesAsync(cancellationToken);
            metrics.AlertSettled(alert);
        }
    }

    /// <summary>
    /// Settles the alerts of main orders that filled (resting paper orders a later price crossed), other than
    /// <paramref name="except"/> (the alert being decided, whose state its decision sets), and saves them.
    /// </summary>
    /// <returns>The alerts that moved, to be counted once the transaction commits.</returns>
    public static async Task<List<AlertEntity>> SettleAlertsOfAsync(AlgoSignalDbContext db, IEnumerable<OrderEntity> filled, DateTimeOffset now, CancellationToken cancellationToken, Guid? except = null)
    {
        var settled = new List<AlertEntity>();
        foreach (var alertId in filled.Where(o => o.Role == OrderRoles.Main && o.AlertId != except).Select(o => o.AlertId).Distinct().ToList())
        {
            if (await SettleAsync(db, alertId, now, cancellationToken) is { } alert)
            {
                settled.Add(alert);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return settled;
    }
}
