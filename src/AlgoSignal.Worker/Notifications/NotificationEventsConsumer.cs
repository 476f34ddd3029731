using System.Globalization;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Notifications;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// Turns the events other parts publish after their own commit into notifications: fills and refusals of live-broker
/// orders (the poller's), reconciliation drifts and degraded market data. Each message may come more than once; its key
/// (the client order id, the drift, the message id) makes a repeat add nothing — so a paper fill, already told by the
/// alert's own transaction, is not told twice either.
/// </summary>
public sealed class NotificationEventsConsumer(NotificationOutbox outbox, NpgsqlDataSource database, AlgoSignalDbContext db, TimeProvider time) :
    IConsumer<OrderFilled>, IConsumer<OrderRejected>, IConsumer<ReconciliationDriftDetected>, IConsumer<DataQualityDegraded>
{
    public async Task Consume(ConsumeContext<OrderFilled> context)
    {
        if (!outbox.Hears(NotificationEvents.OrderFilled))
        {
            // Every fill of every broker passes here: without a listening channel, not even the strategy is looked up.
            return;
        }

        var m = context.Message;
        var strategy = await StrategyOfAsync(m.ClientOrderId, context.CancellationToken);
        var text = $"Filled: {m.Side} {Number(m.FilledQuantity)} {m.Symbol} @ {Number(m.AveragePrice)} on {m.Broker} ({m.Account}){(strategy is null ? "" : $" ({strategy})")}.";
        await outbox.AddNowAsync(database, new NotificationMessage(NotificationEvents.OrderFilled, time.GetUtcNow(), m.AlertId, strategy, m.Symbol, text, new Dictionary<string, object?>
        {
            ["client_order_id"] = m.ClientOrderId, ["broker"] = m.Broker, ["account"] = m.Account, ["side"] = m.Side,
            ["filled_quantity"] = m.FilledQuantity, ["average_price"] = m.AveragePrice, ["status"] = Domain.Orders.OrderStatuses.Filled,
        }), $"order:{m.ClientOrderId}", context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderRejected> context)
    {
        if (!outbox.Hears(NotificationEvents.OrderRejected))
        {
            // Every fill of every broker passes here: without a listening channel, not even the strategy is looked up.
            return;
        }

        var m = context.Message;
        var strategy = await StrategyOfAsync(m.ClientOrderId, context.CancellationToken);
        var text = $"Order rejected by {m.Broker} ({m.Account}){(strategy is null ? "" : $" ({strategy})")}. {m.Reason}".TrimEnd();
        await outbox.AddNowAsync(database, new NotificationMessage(NotificationEvents.OrderRejected, time.GetUtcNow(), m.AlertId, strategy, null, text, new Dictionary<string, object?>
        {
            ["client_order_id"] = m.ClientOrderId, ["broker"] = m.Broker, ["account"] = m.Account, ["reason"] = m.Reason, ["status"] = Domain.Orders.OrderStatuses.Rejected,
        }), $"order:{m.ClientOrderId}", context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ReconciliationDriftDetected> context)
    {
        var m = context.Message;
        await outbox.AddNowAsync(database, new NotificationMessage(NotificationEvents.ReconciliationDrift, m.DetectedAt, null, null, m.Symbol, $"Reconciliation drift: {m.Detail}.", new Dictionary<string, object?>
        {
            ["broker"] = m.Broker, ["kind"] = m.Kind, ["broker_quantity"] = m.BrokerQuantity, ["our_quantity"] = m.OurQuantity, ["detail"] = m.Detail,
        }), $"drift:{m.Broker}:{m.Kind}:{m.Symbol}:{m.DetectedAt.ToUnixTimeMilliseconds()}", context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DataQualityDegraded> context)
    {
        var m = context.Message;
        var text = $"Market data {m.Exchange}:{m.Symbol} {m.Timeframe} is {m.Level} (quality score {m.Score.ToString("0.00", CultureInfo.InvariantCulture)}): {string.Join("; ", m.Findings.Take(3))}";
        await outbox.AddNowAsync(database, new NotificationMessage(NotificationEvents.DataQualityDegraded, time.GetUtcNow(), null, null, m.Symbol, text, new Dictionary<string, object?>
        {
            ["exchange"] = m.Exchange, ["timeframe"] = m.Timeframe, ["score"] = m.Score, ["level"] = m.Level, ["findings"] = m.Findings,
        }), $"data_quality:{context.MessageId?.ToString() ?? $"{m.Exchange}:{m.Symbol}:{m.Timeframe}"}", context.CancellationToken);
    }

    private Task<string?> StrategyOfAsync(string clientOrderId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().Where(o => o.ClientOrderId == clientOrderId).Select(o => o.Strategy).FirstOrDefaultAsync(cancellationToken);

    private static string Number(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
