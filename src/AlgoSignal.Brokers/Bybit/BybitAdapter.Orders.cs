using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using System.Globalization;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit.Wire;
using Polly.CircuitBreaker;

namespace AlgoSignal.Brokers.Bybit;

// Placing and cancelling: rounding and minimums from the instrument, the create body, and what Bybit's answers mean.
public sealed partial class BybitAdapter
{
    public Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken) =>
        PlaceGuard.RunAsync("Bybit", () => PlaceMappedAsync(order, cancellationToken));

    private async Task<PlaceResult> PlaceMappedAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        if (Capabilities.Check(order) is { } unsupported)
        {
            return PlaceResult.Rejected("unsupported", unsupported);
        }

        var symbol = MapSymbol(order.Symbol);
        BybitInstrument instrument;
        try
        {
            instrument = await InstrumentAsync(symbol, cancellationToken);
        }
        catch (BybitRejection rejection)
        {
            return PlaceResult.Rejected(rejection.Code, rejection.Message);
        }

        var quantity = instrument.RoundQuantity(order.Quantity);
        if (quantity < instrument.MinOrderQty)
        {
            return PlaceResult.Rejected("min_quantity", $"{order.Quantity} {symbol} rounds to {quantity}, below Bybit's minimum {instrument.MinOrderQty} (step {instrument.QtyStep}).");
        }

        var notionalPrice = order.LimitPrice ?? order.StopPrice ?? order.ReferencePrice;
        if (notionalPrice is { } p && instrument.MinNotional > 0 && quantity * p < instrument.MinNotional)
        {
            return PlaceResult.Rejected("min_notional", $"{quantity} × {p} is below Bybit's minimum order value {instrument.MinNotional}.");
        }

        var triggered = order.StopPrice is { } stop && order.OrderType is AlertOrderTypes.Stop or AlertOrderTypes.StopLimit;
        var brackets = !order.ReduceOnly && (order.TakeProfit is not null || order.StopLoss is not null);
        var body = new BybitCreateOrder
        {
            Category = _options.Category,
            Symbol = symbol,
            Side = Side(order.Side),
            OrderType = OrderType(order.OrderType),
            Qty = Text(quantity),
            TimeInForce = order.OrderType is AlertOrderTypes.Market or AlertOrderTypes.Stop ? "IOC" : TimeInForce(order.TimeInForce),
            OrderLinkId = order.ClientOrderId,
            PositionIdx = 0,
            Price = order.LimitPrice is { } limit && order.OrderType is AlertOrderTypes.Limit or AlertOrderTypes.StopLimit ? Text(instrument.RoundPrice(limit, order.Side)) : null,

            // Bybit has no stop type: a trigger price and the direction the market must move to reach it.
            TriggerPrice = triggered ? Text(Math.Round(order.StopPrice!.Value / instrument.TickSize) * instrument.TickSize) : null,
            TriggerDirection = triggered ? (order.Side == OrderSides.Buy ? 1 : 2) : null,
            ReduceOnly = order.ReduceOnly ? true : null,

            // reduceOnly cannot be combined with take-profit / stop-loss.
            TakeProfit = !order.ReduceOnly && order.TakeProfit is { } tp ? Text(Math.Round(tp / instrument.TickSize) * instrument.TickSize) : null,
            StopLoss = !order.ReduceOnly && order.StopLoss is { } sl ? Text(Math.Round(sl / instrument.TickSize) * instrument.TickSize) : null,
            TpslMode = brackets ? "Full" : null,
        };

        var json = JsonSerializer.SerializeToUtf8Bytes(body, BybitWireContext.Default.BybitCreateOrder);
        BybitEnvelope<BybitOrderId> answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(
                async ct => await SendAsync(HttpMethod.Post, "v5/order/create", json, BybitWireContext.Default.BybitEnvelopeBybitOrderId, ct), cancellationToken);
        }
        catch (BrokerUnknownOutcomeException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }
        catch (BrokenCircuitException ex)
        {
            return PlaceResult.Unknown($"Bybit is failing repeatedly; the circuit is open: {ex.Message}");
        }
        catch (BrokerException ex)
        {
            return PlaceResult.Unknown(ex.Message);
        }

        var code = answer.RetCode ?? -1;
        if (code == 0)
        {
            return answer.Result?.OrderId is { } orderId
                ? PlaceResult.Accepted(orderId)
                : PlaceResult.Unknown("Bybit accepted the order without its orderId; the order may have landed.");
        }

        if (DuplicateCodes.Contains(code))
        {
            // Sent before (a retry after a lost answer): the order exists; report it, never place twice.
            var existing = await GetOrderAsync(order, cancellationToken);
            return PlaceResult.Accepted(existing?.BrokerOrderId, "already placed under this client order id");
        }

        return PlaceResult.Rejected(code.ToString(CultureInfo.InvariantCulture), answer.RetMsg ?? "rejected");
    }

    public async Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new BybitCancelOrder(_options.Category, MapSymbol(order.Symbol), order.ClientOrderId), BybitWireContext.Default.BybitCancelOrder);
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Post, "v5/order/cancel", body, BybitWireContext.Default.BybitEnvelopeBybitOrderId, ct), cancellationToken);
        return answer.RetCode == 0
            ? PlaceResult.Accepted(answer.Result?.OrderId)
            : PlaceResult.Rejected((answer.RetCode ?? -1).ToString(CultureInfo.InvariantCulture), answer.RetMsg ?? "cancel refused");
    }

    private static string Text(decimal value) => BrokerNumbers.Text(value);

    private static string Side(string side) => side switch
    {
        OrderSides.Buy => "Buy",
        OrderSides.Sell => "Sell",
        _ => throw new UnsupportedOrderException("Bybit", "side", side),
    };

    // Bybit has no stop order type: a stop is a market order with a trigger price, a stop-limit a limit order with one.
    private static string OrderType(string type) => type switch
    {
        AlertOrderTypes.Market or AlertOrderTypes.Stop => "Market",
        AlertOrderTypes.Limit or AlertOrderTypes.StopLimit => "Limit",
        _ => throw new UnsupportedOrderException("Bybit", "order type", type),
    };

    // Bybit has no day order (V5 order/create: GTC, IOC, FOK, PostOnly); a day order is refused by the capabilities check.
    private static string TimeInForce(string timeInForce) => timeInForce switch
    {
        AlertTimeInForce.Gtc => "GTC",
        AlertTimeInForce.Ioc => "IOC",
        AlertTimeInForce.Fok => "FOK",
        _ => throw new UnsupportedOrderException("Bybit", "time in force", timeInForce),
    };
}
