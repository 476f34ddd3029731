using AlgoSignal.Domain.Alerts;
using System.Globalization;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.Worker.Pipeline;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// The notifications an alert's decision causes, added to the decision's own transaction (the change
/// tracker of <see cref="AlertProcessor"/>): the alert's refusal or failure, and every order it filled or
/// that was refused — its own and resting orders its price filled.
/// </summary>
public sealed class AlertNotifications(NotificationOutbox outbox)
{
    public void Add(AlgoSignalDbContext db, AlertEntity alert, string? symbol, IEnumerable<OrderEntity> filledElsewhere, DateTimeOffset now)
    {
        if (!outbox.HasChannels)
        {
            return;
        }

        (string? Event, string Word) refusal = alert.Status switch
        {
            AlertStatuses.RiskRejected or AlertStatuses.PartiallyExecuted => (NotificationEvents.AlertRiskRejected, "Risk rejected"),
            AlertStatuses.Rejected => (NotificationEvents.AlertRejected, "Rejected"),
            AlertStatuses.Failed => (NotificationEvents.AlertFailed, "Failed"),
            _ => (null, ""),
        };
        if (refusal.Event is not null)
        {
            var text = $"{refusal.Word}: alert {alert.AlertId}{For(alert.Strategy, symbol)}. {alert.Reason}".TrimEnd();
            outbox.Add(db, new NotificationMessage(refusal.Event, now, alert.AlertId, alert.Strategy, symbol, text, new Dictionary<string, object?>
            {
                ["status"] = alert.Status,
                ["reason"] = alert.Reason,
            }), $"alert:{alert.AlertId}");
        }

        var orders = db.Orders.Local.Where(o => o.AlertId == alert.AlertId).Concat(filledElsewhere.Where(o => o.AlertId != alert.AlertId)).ToList();
        foreach (var order in orders)
        {
            if (order.Status == OrderStatuses.Filled)
            {
                var price = order.AveragePrice?.ToString("0.########", CultureInfo.InvariantCulture) ?? "?";
                var text = $"Filled: {order.Side} {Number(order.FilledQuantity)} {order.Symbol} @ {price} on {order.Broker} ({order.Account}){For(order.Strategy, null)}.";
                outbox.Add(db, new NotificationMessage(NotificationEvents.OrderFilled, now, order.AlertId, order.Strategy, order.Symbol, text, OrderData(order)), $"order:{order.ClientOrderId}");
            }
            else if (order.Status == OrderStatuses.Rejected)
            {
                var text = $"Order rejected: {order.Side} {Number(order.Quantity)} {order.Symbol} on {order.Broker} ({order.Account}){For(order.Strategy, null)}. {order.Reason}".TrimEnd();
                outbox.Add(db, new NotificationMessage(NotificationEvents.OrderRejected, now, order.AlertId, order.Strategy, order.Symbol, text, OrderData(order)), $"order:{order.ClientOrderId}");
            }
        }
    }

    private static Dictionary<string, object?> OrderData(OrderEntity order) => new()
    {
        ["client_order_id"] = order.ClientOrderId,
        ["broker"] = order.Broker,
        ["account"] = order.Account,
        ["side"] = order.Side,
        ["quantity"] = order.Quantity,
        ["filled_quantity"] = order.FilledQuantity,
        ["average_price"] = order.AveragePrice,
        ["status"] = order.Status,
        ["reason"] = order.Reason,
    };

    private static string For(string? strategy, string? symbol) =>
        (strategy, symbol) switch
        {
            (not null, not null) => $" ({strategy}, {symbol})",
            (not null, null) => $" ({strategy})",
            (null, not null) => $" ({symbol})",
            _ => "",
        };

    private static string Number(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
