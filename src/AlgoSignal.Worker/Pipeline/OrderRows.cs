using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>The rows an alert's decisions are stored as: its orders and its risk decisions.</summary>
public static class OrderRows
{
    /// <summary>
    /// The order a leg decided to place on a route. Its leg number and client order id come from the
    /// alert, the route's position and the leg, so a redelivery asks for the same order again.
    /// </summary>
    /// <param name="status">The status it is stored with: <see cref="OrderStatuses.Accepted"/> by the paper broker, <see cref="OrderStatuses.Submitting"/> for a live one.</param>
    public static OrderEntity ForLeg(
        AlertEntity alert, int routeIndex, int legIndex, StrategyRoute route, string symbol, string strategy, OrderToPlace order, string status, DateTimeOffset now)
    {
        var leg = (routeIndex * 10) + legIndex;
        return NewOrders.Row(
            new OrderOrigin(alert.AlertId, leg, route.Broker, route.Account, symbol, strategy),
            ClientOrderId.For(alert.AlertId, leg, route.Broker, route.Account), OrderRoles.Main, order, status, now);
    }

    /// <summary>A live order recorded for its broker: sent once the alert's transaction commits.</summary>
    public static OrderEventEntity Submitting(OrderEntity order, decimal? referencePrice, DateTimeOffset now) =>
        new() { Type = OrderEventTypes.Submitting, Quantity = order.Quantity, Price = referencePrice, CreatedAt = now };

    /// <summary>How a placed order is told of by a later refusal in its route.</summary>
    public static PlacedLeg Placed(OrderEntity order) => new(order.Intent, order.Side, order.Quantity, order.Status == OrderStatuses.Filled);

    public static RiskDecisionEntity Risk(AlertEntity alert, RiskDecision decision, DateTimeOffset now) => new()
    {
        AlertId = alert.AlertId,
        Decision = decision.Approved ? RiskOutcomes.Approved : RiskOutcomes.Rejected,
        Rule = decision.Rule,
        Reason = decision.Reason,
        CreatedAt = now,
    };
}
