using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Contracts;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The events other services follow (README, "Integrating through RabbitMQ"), built from what the alert's transaction committed:
/// from the change tracker when this consumer just decided the alert (it holds every order and risk
/// decision of it, with their generated ids), else read back from PostgreSQL. A redelivered message publishes them again: at least once, keyed by
/// <c>alert_id</c> and <c>client_order_id</c> so followers can drop repeats.
/// </summary>
public static class AlertEvents
{
    public static async Task<List<object>> ForAsync(
        AlgoSignalDbContext db, AlertEntity alert, IEnumerable<OrderEntity> filledElsewhere, bool fromTracker, CancellationToken cancellationToken)
    {
        var events = new List<object>();
        // A partially executed alert publishes both sides: the rejection of its refused leg here, its
        // placed orders (SignalAccepted, OrderAccepted, OrderFilled) below.
        if (alert.Status is AlertStatuses.Rejected or AlertStatuses.RiskRejected or AlertStatuses.Duplicate or AlertStatuses.Failed or AlertStatuses.PartiallyExecuted)
        {
            var rule = alert.Status is not (AlertStatuses.RiskRejected or AlertStatuses.PartiallyExecuted) ? null
                : fromTracker ? db.RiskDecisions.Local.Where(r => r.AlertId == alert.AlertId && r.Decision == Domain.Risk.RiskOutcomes.Rejected).OrderBy(r => r.Id).Select(r => r.Rule).FirstOrDefault()
                : await db.RiskDecisions.AsNoTracking().Where(r => r.AlertId == alert.AlertId && r.Decision == Domain.Risk.RiskOutcomes.Rejected).Select(r => r.Rule).FirstOrDefaultAsync(cancellationToken);
            events.Add(new SignalRejected(alert.AlertId, alert.Strategy, alert.Status, rule, alert.Reason));
        }

        var orders = fromTracker
            ? db.Orders.Local.Where(o => o.AlertId == alert.AlertId).OrderBy(o => o.Id).ToList()
            : await db.Orders.AsNoTracking().Where(o => o.AlertId == alert.AlertId).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        if (orders.Count > 0)
        {
            var symbol = orders[0].Symbol;
            events.Add(new SignalAccepted(alert.AlertId, alert.Strategy ?? "", symbol, ActionOf(alert), orders.Count(o => o.Role == OrderRoles.Main)));
        }

        foreach (var order in orders.Concat(filledElsewhere.Where(o => o.AlertId != alert.AlertId)))
        {
            events.Add(new OrderAccepted(order.AlertId, order.ClientOrderId, order.BrokerOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.Quantity, order.OrderType));
            if (order.Status == Domain.Orders.OrderStatuses.Filled)
            {
                events.Add(new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m));
            }
            else if (order.Status == Domain.Orders.OrderStatuses.Rejected)
            {
                events.Add(new OrderRejected(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Reason));
            }
            else if (order.Status == Domain.Orders.OrderStatuses.Failed)
            {
                events.Add(new OrderFailed(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Reason));
            }
        }

        return events;
    }

    private static string ActionOf(AlertEntity alert)
    {
        using var document = System.Text.Json.JsonDocument.Parse(alert.Signal ?? "{}");
        return document.RootElement.TryGetProperty("action", out var action) ? action.GetString() ?? "" : "";
    }
}
