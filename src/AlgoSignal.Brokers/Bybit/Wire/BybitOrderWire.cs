using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers.Bybit.Wire;

// Orders and positions: order/create, order/cancel, order/realtime and position/list.

/// <summary>The answer to order/create and order/cancel.</summary>
public sealed class BybitOrderId
{
    [JsonPropertyName("orderId")]
    public string? OrderId { get; init; }

    [JsonPropertyName("orderLinkId")]
    public string? OrderLinkId { get; init; }
}

/// <summary>An order as order/realtime lists it and the private stream's <c>order</c> topic pushes it.</summary>
public sealed class BybitOrderRow
{
    [JsonPropertyName("orderId")]
    public string? OrderId { get; init; }

    [JsonPropertyName("orderLinkId")]
    public string? OrderLinkId { get; init; }

    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("orderStatus")]
    public string? OrderStatus { get; init; }

    [JsonPropertyName("qty")]
    public decimal? Qty { get; init; }

    [JsonPropertyName("cumExecQty")]
    public decimal? CumExecQty { get; init; }

    [JsonPropertyName("leavesQty")]
    public decimal? LeavesQty { get; init; }

    [JsonPropertyName("avgPrice")]
    public decimal? AvgPrice { get; init; }

    [JsonPropertyName("updatedTime")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? UpdatedTime { get; init; }
}

/// <summary>A row of position/list.</summary>
public sealed class BybitPositionRow
{
    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("size")]
    public decimal? Size { get; init; }

    [JsonPropertyName("avgPrice")]
    public decimal? AvgPrice { get; init; }
}

/// <summary>The body of order/create (prices and quantities as strings, as V5 takes them).</summary>
public sealed class BybitCreateOrder
{
    [JsonPropertyName("category")]
    public required string Category { get; init; }

    [JsonPropertyName("symbol")]
    public required string Symbol { get; init; }

    [JsonPropertyName("side")]
    public required string Side { get; init; }

    [JsonPropertyName("orderType")]
    public required string OrderType { get; init; }

    [JsonPropertyName("qty")]
    public required string Qty { get; init; }

    [JsonPropertyName("timeInForce")]
    public required string TimeInForce { get; init; }

    [JsonPropertyName("orderLinkId")]
    public required string OrderLinkId { get; init; }

    /// <summary>0: one-way mode.</summary>
    [JsonPropertyName("positionIdx")]
    public int PositionIdx { get; init; }

    [JsonPropertyName("price")]
    public string? Price { get; init; }

    [JsonPropertyName("triggerPrice")]
    public string? TriggerPrice { get; init; }

    /// <summary>1: triggered when the price rises to <see cref="TriggerPrice"/>; 2: when it falls to it.</summary>
    [JsonPropertyName("triggerDirection")]
    public int? TriggerDirection { get; init; }

    [JsonPropertyName("reduceOnly")]
    public bool? ReduceOnly { get; init; }

    [JsonPropertyName("takeProfit")]
    public string? TakeProfit { get; init; }

    [JsonPropertyName("stopLoss")]
    public string? StopLoss { get; init; }

    [JsonPropertyName("tpslMode")]
    public string? TpslMode { get; init; }
}

/// <summary>The body of order/cancel, by client order id.</summary>
public sealed record BybitCancelOrder(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("orderLinkId")] string OrderLinkId);
