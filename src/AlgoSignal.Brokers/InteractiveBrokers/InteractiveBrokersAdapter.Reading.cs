using AlgoSignal.Brokers.InteractiveBrokers.Wire;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.InteractiveBrokers;

// Reading the account: open orders, one order with IBKR's statuses mapped to ours, and positions page by page.
public sealed partial class InteractiveBrokersAdapter
{
    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, IbkrWireContext.Default.IbkrRowsIbkrOrderRow, cancellationToken);
        var rows = list?.Rows ?? throw new BrokerException("IBKR answered the order query without an orders list.");

        var orders = new List<BrokerOpenOrder>();
        foreach (var row in rows)
        {
            // Working orders: Submitted, PreSubmitted, PendingSubmit, PendingCancel; the rest are done or never live.
            if (row.Status is not ("Submitted" or "PreSubmitted" or "PendingSubmit" or "PendingCancel"))
            {
                continue;
            }

            var total = row.TotalSize ?? 0m;
            orders.Add(new BrokerOpenOrder(
                row.OrderId ?? throw new BrokerException("IBKR listed an order without its orderId."), row.OrderRef, (row.Ticker ?? "").ToUpperInvariant(),
                string.Equals(row.Side, "SELL", StringComparison.OrdinalIgnoreCase) ? OrderSides.Sell : OrderSides.Buy, total, row.RemainingQuantity ?? total - (row.FilledQuantity ?? 0m)));
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "iserver/account/orders", null, IbkrWireContext.Default.IbkrRowsIbkrOrderRow, cancellationToken);
        var match = list?.Rows?.FirstOrDefault(x => x.OrderRef == order.ClientOrderId);
        if (match is null)
        {
            return null;
        }

        var orderId = match.OrderId ?? throw new BrokerException("IBKR listed an order without its orderId.");
        var status = await SendAsync(HttpMethod.Get, $"iserver/account/order/status/{orderId}", null, IbkrWireContext.Default.IbkrOrderStatus, cancellationToken)
            ?? throw new BrokerException("IBKR answered the order status without a body.");
        var text = status.OrderStatus ?? "";
        var filled = status.CumFill ?? 0m;
        var total = status.TotalSize ?? order.Quantity;
        var mapped = text switch
        {
            "Filled" => OrderStatuses.Filled,
            "Cancelled" or "Inactive" => OrderStatuses.Cancelled,
            _ when filled > 0m && filled < total => OrderStatuses.PartiallyFilled,
            _ => OrderStatuses.Accepted,
        };
        return new BrokerOrderStatus(orderId, mapped, filled, status.AveragePrice, text);
    }

    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:InteractiveBrokers:AccountId is not configured.");

        // The portfolio endpoints want the account list asked for first; pages hold 100 positions each.
        await SendAsync(HttpMethod.Get, "portfolio/accounts", null, IbkrWireContext.Default.JsonElement, cancellationToken);
        var positions = new List<BrokerPosition>();
        for (var page = 0; page < 50; page++)
        {
            var answer = await SendAsync(HttpMethod.Get, $"portfolio/{Uri.EscapeDataString(account)}/positions/{page}", null, IbkrWireContext.Default.IbkrRowsIbkrPosition, cancellationToken);
            if (answer?.Rows is not { Count: > 0 } rows)
            {
                break;
            }

            foreach (var row in rows)
            {
                var quantity = row.Position ?? 0m;
                if (quantity != 0m)
                {
                    positions.Add(new BrokerPosition((row.Ticker ?? row.ContractDesc ?? "").ToUpperInvariant(), quantity, row.AvgPrice ?? row.AvgCost));
                }
            }

            if (rows.Count < 100)
            {
                break;
            }
        }

        return positions;
    }
}
