using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Sends an alert's orders to their brokers once the alert's transaction has committed. An answer lost
/// after sending (Unknown) is settled by asking the broker for the client order id before one more try;
/// the same client order id is reused, so a repeat is recognised as already placed. A redelivered
/// message or a restarted worker resumes from the orders still marked <c>submitting</c>.
/// </summary>
public sealed partial class BrokerSubmitter(AlgoSignalDbContext db, BrokerRegistry brokers, TimeProvider time, AlgoSignal.ServiceDefaults.Telemetry.AlgoSignalMetrics metrics, ILogger<BrokerSubmitter> logger)
{
    public static BrokerOrder ToBrokerOrder(OrderEntity order, decimal? referencePrice) => new(
        order.ClientOrderId, order.Account, order.Symbol, order.Side, order.Quantity, order.OrderType, order.LimitPrice, order.StopPrice,
        order.TimeInForce, order.TakeProfit, order.StopLoss, ReduceOnly: order.Intent == OrderIntents.Exit, referencePrice, order.BrokerOrderId);

    public async Task SubmitAsync(Guid alertId, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.Include(o => o.Events)
            .Where(o => o.Broker != PaperBroker.Broker && ((o.Status == OrderStatuses.Submitting && o.AlertId == alertId) || o.Status == OrderStatuses.Cancelling))
            .OrderBy(o => o.Id).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            return;
        }

        foreach (var order in orders)
        {
            var adapter = brokers.Find(order.Broker);
            var now = time.GetUtcNow();
            if (adapter is null)
            {
                Finish(order, OrderStatuses.Failed, $"broker {order.Broker} is no longer configured", now);
                continue;
            }

            var request = ToBrokerOrder(order, order.Events.FirstOrDefault(e => e.Type == OrderStatuses.Submitting)?.Price);
            if (order.Status == OrderStatuses.Cancelling)
            {
                var cancelled = await adapter.CancelAsync(request, cancellationToken);
                Finish(order, cancelled.Outcome == PlaceOutcome.Accepted ? OrderStatuses.Cancelled : OrderStatuses.Accepted, cancelled.Outcome == PlaceOutcome.Accepted ? "cancelled at the broker" : $"cancel refused: {cancelled.Code} {cancelled.Message}", now);
                continue;
            }

            var result = await adapter.PlaceAsync(request, cancellationToken);
            if (result.Outcome == PlaceOutcome.Unknown)
            {
                LogUnknown(logger, order.ClientOrderId, order.Broker, result.Message);
                var found = await adapter.GetOrderAsync(request, cancellationToken);
                result = found is not null ? PlaceResult.Accepted(found.BrokerOrderId, "found by client order id after a lost answer") : await adapter.PlaceAsync(request, cancellationToken);
            }

            switch (result.Outcome)
            {
                case PlaceOutcome.Accepted:
                    order.BrokerOrderId = result.BrokerOrderId;
                    Finish(order, OrderStatuses.Accepted, result.Message, now);
                    break;
                case PlaceOutcome.Rejected:
                    Finish(order, OrderStatuses.Rejected, $"{order.Broker} rejected it ({result.Code}): {result.Message}", now);
                    break;
                default:
                    // Still no answer: the poller settles it by client order id (found → accepted, never → failed).
                    Finish(order, OrderStatuses.Unknown, result.Message, now);
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await AlertSettlements.SettleAndCountAsync(db, metrics, alertId, time.GetUtcNow(), cancellationToken);
    }

    private static void Finish(OrderEntity order, string status, string? message, DateTimeOffset now)
    {
        order.Status = status;
        order.Reason = status is OrderStatuses.Rejected or OrderStatuses.Failed or OrderStatuses.Unknown ? message : order.Reason;
        order.UpdatedAt = now;
        order.Events.Add(new OrderEventEntity { Type = status, Message = message, CreatedAt = now });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId} at {Broker}: no answer ({Error}); asking the broker before retrying")]
    private static partial void LogUnknown(ILogger logger, string clientOrderId, string broker, string? error);
}
