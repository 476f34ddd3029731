using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using System.Text.Json;
using AlgoSignal.Brokers.TradeStation.Wire;

namespace AlgoSignal.Brokers.TradeStation;

// Placing and cancelling: the ticket with its bracket legs, and what TradeStation's answers mean for the order.
public sealed partial class TradeStationAdapter
{
    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("TradeStation", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        var ticket = Ticket(order);
        if (order.TakeProfit is not null || order.StopLoss is not null)
        {
            var exit = order.Side == OrderSides.Buy ? "SELL" : "BUYTOCOVER";
            var legs = new List<TradeStationOrderRequest>();
            if (order.TakeProfit is { } tp)
            {
                legs.Add(Leg(order, exit, "Limit", limit: tp, stop: null));
            }

            if (order.StopLoss is { } sl)
            {
                legs.Add(Leg(order, exit, "StopMarket", limit: null, stop: sl));
            }

            ticket = ticket with { OSOs = [new TradeStationOso("BRK", legs)] };
        }

        TradeStationPlaced? answer;
        try
        {
            answer = await SendAsync(HttpMethod.Post, "orderexecution/orders", JsonSerializer.SerializeToUtf8Bytes(ticket, TradeStationWireContext.Default.TradeStationOrderRequest), TradeStationWireContext.Default.TradeStationPlaced, cancellationToken);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"The broker is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }

        if (answer is null)
        {
            return PlaceResult.Unknown("TradeStation answered the order without a body; the order may have landed.");
        }

        if (answer.Errors is [var error, ..])
        {
            var message = error.Message ?? "";
            if (message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                var existing = await GetOrderAsync(order, cancellationToken);
                return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this OrderConfirmID");
            }

            return PlaceResult.Rejected(error.Error ?? "FAILED", message);
        }

        if (answer.Orders is not [var placed, ..])
        {
            // A non-2xx answer: {"Error":"BadRequest","Message":"…"}.
            return PlaceResult.Rejected(answer.Error ?? "error", answer.Message ?? "TradeStation refused the order without a reason.");
        }

        return placed.OrderID is { } orderId
            ? PlaceResult.Accepted(orderId, placed.Message)
            : PlaceResult.Unknown("TradeStation accepted the order without its OrderID; the order may have landed.");
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var existing = order.BrokerOrderId ?? (await GetOrderAsync(order, cancellationToken))?.BrokerOrderId;
        if (existing is null)
        {
            return PlaceResult.Rejected("not_found", "TradeStation has no order under this client order id.");
        }

        var answer = await SendAsync(HttpMethod.Delete, $"orderexecution/orders/{existing}", null, TradeStationWireContext.Default.TradeStationPlacedOrder, cancellationToken)
            ?? throw new BrokerException("TradeStation answered the cancel without a body.");
        return answer.Error is { } error
            ? PlaceResult.Rejected(error, answer.Message ?? "")
            : PlaceResult.Accepted(existing);
    }

    private TradeStationOrderRequest Ticket(BrokerOrder order)
    {
        var action = (order.Side, order.ReduceOnly) switch
        {
            (OrderSides.Buy, false) => "BUY",
            (OrderSides.Buy, true) => "BUYTOCOVER",
            (OrderSides.Sell, true) => "SELL",
            (OrderSides.Sell, false) => "SELLSHORT",
            _ => throw new UnsupportedOrderException("TradeStation", "side", order.Side),
        };
        var type = order.OrderType switch
        {
            AlertOrderTypes.Market => "Market",
            AlertOrderTypes.Limit => "Limit",
            AlertOrderTypes.Stop => "StopMarket",
            AlertOrderTypes.StopLimit => "StopLimit",
            _ => throw new UnsupportedOrderException("TradeStation", "order type", order.OrderType),
        };
        var duration = order.TimeInForce switch
        {
            AlertTimeInForce.Day => "DAY",
            AlertTimeInForce.Gtc => "GTC",
            AlertTimeInForce.Ioc => "IOC",
            AlertTimeInForce.Fok => "FOK",
            _ => throw new UnsupportedOrderException("TradeStation", "time in force", order.TimeInForce),
        };
        return Leg(order, action, type, order.LimitPrice, order.StopPrice) with
        {
            TimeInForce = new TradeStationTimeInForce(duration),
            Route = "Intelligent",
            OrderConfirmID = ConfirmId(order.ClientOrderId),
        };
    }

    // TradeStation takes numbers as strings.
    private TradeStationOrderRequest Leg(BrokerOrder order, string action, string type, decimal? limit, decimal? stop) => new()
    {
        AccountID = Account(order),
        Symbol = Ticker(order.Symbol),
        Quantity = BrokerNumbers.Text(order.Quantity),
        OrderType = type,
        TradeAction = action,
        TimeInForce = new TradeStationTimeInForce("GTC"),
        LimitPrice = limit is { } l && type is "Limit" or "StopLimit" ? BrokerNumbers.Text(l) : null,
        StopPrice = stop is { } s && type is "StopMarket" or "StopLimit" ? BrokerNumbers.Text(s) : null,
    };
}
