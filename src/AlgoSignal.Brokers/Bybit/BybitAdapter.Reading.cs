using AlgoSignal.Brokers.Bybit.Wire;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.Bybit;

// Reading the account: positions, open orders page by page, one order, and how Bybit's order statuses map to ours.
public sealed partial class BybitAdapter
{
    public async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        // Without a symbol, V5 position/list needs the settle coin for linear contracts and then lists only non-zero positions.
        var query = $"category={_options.Category}&settleCoin={Uri.EscapeDataString(_options.SettleCoin)}&limit=200";
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/position/list?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitPositionRow, ct), cancellationToken);
        var rows = Rows(answer, "position query");

        var positions = new List<BrokerPosition>();
        foreach (var row in rows)
        {
            var size = row.Size ?? 0m;
            if (size != 0m)
            {
                positions.Add(new BrokerPosition(row.Symbol ?? "", row.Side == "Sell" ? -size : size, row.AvgPrice));
            }
        }

        return positions;
    }

    public async Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken)
    {
        // Without orderLinkId, V5 order/realtime lists the open orders; linear needs the symbol, base coin or settle coin.
        var orders = new List<BrokerOpenOrder>();
        var cursor = "";
        for (var page = 0; page < 20; page++)
        {
            var query = $"category={_options.Category}&settleCoin={Uri.EscapeDataString(_options.SettleCoin)}&openOnly=0&limit=50"
                + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            var answer = await _pipeline.ExecuteAsync(
                async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitOrderRow, ct), cancellationToken);
            foreach (var row in Rows(answer, "open-order query"))
            {
                var status = ToStatus(row);
                if (status.Status is not (OrderStatuses.Accepted or OrderStatuses.PartiallyFilled))
                {
                    continue;
                }

                var quantity = row.Qty ?? 0m;
                orders.Add(new BrokerOpenOrder(
                    status.BrokerOrderId, string.IsNullOrEmpty(row.OrderLinkId) ? null : row.OrderLinkId, row.Symbol ?? "",
                    row.Side == "Sell" ? OrderSides.Sell : OrderSides.Buy, quantity, row.LeavesQty ?? quantity - status.FilledQuantity));
            }

            cursor = answer.Result?.NextPageCursor ?? "";
            if (cursor.Length == 0)
            {
                break;
            }
        }

        return orders;
    }

    public async Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var query = $"category={_options.Category}&orderLinkId={Uri.EscapeDataString(order.ClientOrderId)}";
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/order/realtime?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitOrderRow, ct), cancellationToken);
        var rows = Rows(answer, "order query");
        return rows.Count == 0 ? null : ToStatus(rows[0]);
    }

    /// <summary>An order row as <c>/v5/order/realtime</c> and the private stream's <c>order</c> topic both report it.</summary>
    internal static BrokerOrderStatus ToStatus(BybitOrderRow row)
    {
        var status = row.OrderStatus switch
        {
            "Filled" => OrderStatuses.Filled,
            "PartiallyFilled" => OrderStatuses.PartiallyFilled,
            "Cancelled" or "PartiallyFilledCanceled" or "Deactivated" => OrderStatuses.Cancelled,
            "Rejected" => OrderStatuses.Rejected,
            _ => OrderStatuses.Accepted,
        };
        return new BrokerOrderStatus(
            row.OrderId ?? throw new BrokerException("Bybit reported an order without its orderId."), status, row.CumExecQty ?? 0m,
            row.AvgPrice is > 0m and var average ? average : null, row.OrderStatus, BybitTime.FromMilliseconds(row.UpdatedTime));
    }

    /// <summary>The rows of a successful list answer; a refusal is a fault of the query.</summary>
    private static List<TRow> Rows<TRow>(BybitEnvelope<BybitList<TRow>> answer, string what) =>
        answer.RetCode != 0
            ? throw new BrokerException($"Bybit {what} failed: {answer.RetMsg}")
            : answer.Result?.List ?? throw new BrokerException($"Bybit answered the {what} without its list.");
}
