using AlgoSignal.Brokers.TradeStation.Wire;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.TradeStation;

// Reading the account: positions, open orders, one order, and how TradeStation's order statuses map to ours.
public sealed partial class TradeStationAdapter
{
    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/positions", null, TradeStationWireContext.Default.TradeStationPositions, cancellationToken);
        var rows = answer?.Positions ?? throw new BrokerException("TradeStation answered the position query without a Positions list.");

        var positions = new List<BrokerPosition>();
        foreach (var row in rows)
        {
            var quantity = Math.Abs(row.Quantity ?? 0m);
            if (quantity != 0m)
            {
                positions.Add(new BrokerPosition(row.Symbol ?? "", row.LongShort == "Short" ? -quantity : quantity, row.AveragePrice));
            }
        }

        return positions;
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var answer = await SendAsync(HttpMethod.Get, $"brokerage/accounts/{Uri.EscapeDataString(account)}/orders", null, TradeStationWireContext.Default.TradeStationOrders, cancellationToken);
        var rows = answer?.Orders ?? throw new BrokerException("TradeStation answered the order query without an Orders list.");

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows)
        {
            var status = ToStatus(row);
            if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled) || row.Legs is not [var leg, ..])
            {
                continue;
            }

            var quantity = leg.QuantityOrdered ?? 0m;
            orders.Add(new BrokerOpenOrder(
                status.BrokerOrderId, row.OrderConfirmID, leg.Symbol ?? "", leg.BuyOrSell is "BUY" or "BUYTOCOVER" or "Buy" ? OrderSides.Buy : OrderSides.Sell, quantity, quantity - status.FilledQuantity));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        // By id when known; otherwise today's orders, matched by the confirm id TradeStation echoes back.
        var path = order.BrokerOrderId is { } id ? $"brokerage/accounts/{Account(order)}/orders/{id}" : $"brokerage/accounts/{Account(order)}/orders";
        var answer = await SendAsync(HttpMethod.Get, path, null, TradeStationWireContext.Default.TradeStationOrders, cancellationToken);
        var confirm = ConfirmId(order.ClientOrderId);
        var match = answer?.Orders?.FirstOrDefault(o => (order.BrokerOrderId is not null && o.OrderID == order.BrokerOrderId) || o.OrderConfirmID == confirm);
        return match is null ? null : ToStatus(match);
    }

    /// <summary>An order as the order list and the order stream both report it.</summary>
    private static BrokerOrderStatus ToStatus(TradeStationOrder order)
    {
        var status = order.Status ?? throw new BrokerException("TradeStation reported an order without its Status.");
        var filled = order.Legs is [var leg, ..] ? leg.ExecQuantity ?? 0m : 0m;
        var mapped = status switch
        {
            "FLL" => OrderStatuses.Filled,
            "FPR" => OrderStatuses.PartiallyFilled,
            "CAN" or "EXP" or "OUT" => OrderStatuses.Cancelled,
            "REJ" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        var changed = TradeStationTime.Parse(order.ClosedDateTime) ?? TradeStationTime.Parse(order.OpenedDateTime);
        return new BrokerOrderStatus(
            order.OrderID ?? throw new BrokerException("TradeStation reported an order without its OrderID."), mapped, filled, order.FilledPrice is > 0m and var price ? price : null, status, changed);
    }
}
