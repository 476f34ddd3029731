using System.Text.Json;
using AlgoSignal.Brokers.InteractiveBrokers.Wire;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.InteractiveBrokers;

// Placing and cancelling: the parent ticket and its bracket children, the confirmation prompts, and what the gateway's answers mean.
public sealed partial class InteractiveBrokersAdapter
{
    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("IBKR", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        try
        {
            var conid = await ConidAsync(order.Symbol, cancellationToken);
            if (conid is null)
            {
                return PlaceResult.Rejected("unknown_symbol", $"IBKR has no stock contract for {Ticker(order.Symbol)}.");
            }

            var orders = new List<IbkrOrderTicket> { Ticket(order, conid.Value) };
            var exit = Side(order.Side) == "BUY" ? "SELL" : "BUY";
            if (order.TakeProfit is { } tp)
            {
                orders.Add(Child(order, conid.Value, "LMT", exit, tp, "-tp"));
            }

            if (order.StopLoss is { } sl)
            {
                orders.Add(Child(order, conid.Value, "STP", exit, sl, "-sl"));
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new IbkrOrdersRequest(orders), IbkrWireContext.Default.IbkrOrdersRequest);
            var answer = await SendAsync(HttpMethod.Post, $"iserver/account/{Account(order)}/orders", body, IbkrWireContext.Default.IbkrRowsIbkrOrderReply, cancellationToken);

            // "Are you sure?" prompts must be answered at once, and may chain: bounded.
            for (var replies = 0; IsPrompt(answer, out var replyId); replies++)
            {
                if (replies == MaxReplies)
                {
                    return PlaceResult.Rejected("confirmation_loop", $"IBKR kept asking for confirmation after {MaxReplies} replies.");
                }

                answer = await SendAsync(
                    HttpMethod.Post, $"iserver/reply/{replyId}", JsonSerializer.SerializeToUtf8Bytes(new IbkrReplyRequest(true), IbkrWireContext.Default.IbkrReplyRequest),
                    IbkrWireContext.Default.IbkrRowsIbkrOrderReply, cancellationToken);
            }

            if (answer is null)
            {
                return PlaceResult.Unknown("The IBKR gateway answered the order without a body; the order may have landed.");
            }

            if (answer.Rows is [{ OrderId: { } id } placed, ..])
            {
                return PlaceResult.Accepted(id, placed.OrderStatus);
            }

            var error = answer.Error ?? "The IBKR gateway answered the order without an order id.";
            if (error.Contains("Local order ID", StringComparison.OrdinalIgnoreCase))
            {
                // This cOID was placed before (a retry after a lost answer): the order exists.
                var existing = await GetOrderAsync(order, cancellationToken);
                return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this client order id");
            }

            return PlaceResult.Rejected("rejected", error);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (SessionExpiredException ex)
        {
            return PlaceResult.Rejected("session", ex.Message + " Log in to the Client Portal Gateway again.");
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"The broker is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = await GetOrderAsync(order, cancellationToken);
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "IBKR has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"iserver/account/{Account(order)}/order/{existing.BrokerOrderId}", null, IbkrWireContext.Default.IbkrCancelled, cancellationToken);
        return answer?.Error is { } error
            ? PlaceResult.Rejected("cancel_refused", error)
            : PlaceResult.Accepted(existing.BrokerOrderId);
    }

    private static IbkrOrderTicket Ticket(BrokerOrder order, long conid) => new()
    {
        Conid = conid,
        OrderType = order.OrderType switch
        {
            AlertOrderTypes.Market => "MKT",
            AlertOrderTypes.Limit => "LMT",
            AlertOrderTypes.Stop => "STP",
            AlertOrderTypes.StopLimit => "STOP_LIMIT",
            _ => throw new UnsupportedOrderException("IBKR", "order type", order.OrderType),
        },
        Side = Side(order.Side),
        Quantity = BrokerNumbers.Canonical(order.Quantity),
        Tif = order.TimeInForce switch
        {
            AlertTimeInForce.Day => "DAY",
            AlertTimeInForce.Gtc => "GTC",
            AlertTimeInForce.Ioc => "IOC",
            _ => throw new UnsupportedOrderException("IBKR", "time in force", order.TimeInForce),
        },
        COID = order.ClientOrderId,
        OutsideRTH = false,

        // IBKR's quirk: "price" is the limit price, but for a stop order it is the stop price;
        // a stop-limit carries its stop in "auxPrice".
        Price = order.OrderType switch
        {
            AlertOrderTypes.Limit or AlertOrderTypes.StopLimit => Price(order.LimitPrice),
            AlertOrderTypes.Stop => Price(order.StopPrice),
            _ => null,
        },
        AuxPrice = order.OrderType == AlertOrderTypes.StopLimit ? Price(order.StopPrice) : null,
    };

    /// <summary>A bracket child: good till cancelled, sent once its parent (by <c>cOID</c>) fills.</summary>
    private static IbkrOrderTicket Child(BrokerOrder order, long conid, string type, string side, decimal price, string suffix) => new()
    {
        Conid = conid,
        OrderType = type,
        Side = side,
        Quantity = BrokerNumbers.Canonical(order.Quantity),
        Price = BrokerNumbers.Canonical(price),
        Tif = "GTC",
        COID = order.ClientOrderId + suffix,
        ParentId = order.ClientOrderId,
    };

    private static string Side(string side) => side switch
    {
        OrderSides.Buy => "BUY",
        OrderSides.Sell => "SELL",
        _ => throw new UnsupportedOrderException("IBKR", "side", side),
    };

    private static decimal? Price(decimal? price) => price is { } p ? BrokerNumbers.Canonical(p) : null;

    private static bool IsPrompt(IbkrRows<IbkrOrderReply>? answer, out string replyId)
    {
        if (answer?.Rows is [{ Id: { } id, Message: not null }, ..])
        {
            replyId = id;
            return true;
        }

        replyId = "";
        return false;
    }
}
