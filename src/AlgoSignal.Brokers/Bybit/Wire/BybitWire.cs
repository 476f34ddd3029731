using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers.Bybit.Wire;

// Bybit V5's own field names (docs: order/create, order/cancel, order/realtime, position/list,
// market/instruments-info, and the private stream's order and execution topics). Numbers arrive as strings.

/// <summary>Every V5 REST answer: <c>{"retCode":0,"retMsg":"OK","result":{…}}</c>; <c>result</c> is <c>{}</c> on a refusal.</summary>
public sealed class BybitEnvelope<T>
    where T : class
{
    [JsonPropertyName("retCode")]
    public int? RetCode { get; init; }

    [JsonPropertyName("retMsg")]
    public string? RetMsg { get; init; }

    [JsonPropertyName("result")]
    public T? Result { get; init; }
}

/// <summary>
/// The envelope's code and Bybit's server time (<c>time</c>, milliseconds), read by the signing handler to see a
/// refused timestamp and to follow the server's clock (<c>/v5/market/time</c>).
/// </summary>
public sealed class BybitClock
{
    [JsonPropertyName("retCode")]
    public int? RetCode { get; init; }

    [JsonPropertyName("time")]
    public long? Time { get; init; }
}

/// <summary>A page of rows with the cursor to the next one (empty on the last page).</summary>
public sealed class BybitList<T>
{
    [JsonPropertyName("list")]
    public List<T>? List { get; init; }

    [JsonPropertyName("nextPageCursor")]
    public string? NextPageCursor { get; init; }
}

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

/// <summary>A row of market/instruments-info: the rounding and minimums of one instrument.</summary>
public sealed class BybitInstrumentRow
{
    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("priceFilter")]
    public BybitPriceFilter? PriceFilter { get; init; }

    [JsonPropertyName("lotSizeFilter")]
    public BybitLotSizeFilter? LotSizeFilter { get; init; }
}

public sealed class BybitPriceFilter
{
    [JsonPropertyName("tickSize")]
    public decimal? TickSize { get; init; }
}

/// <summary>Derivatives carry <c>qtyStep</c> and <c>minNotionalValue</c>; spot <c>basePrecision</c> and <c>minOrderAmt</c>.</summary>
public sealed class BybitLotSizeFilter
{
    [JsonPropertyName("qtyStep")]
    public decimal? QtyStep { get; init; }

    [JsonPropertyName("basePrecision")]
    public decimal? BasePrecision { get; init; }

    [JsonPropertyName("minOrderQty")]
    public decimal? MinOrderQty { get; init; }

    [JsonPropertyName("minNotionalValue")]
    public decimal? MinNotionalValue { get; init; }

    [JsonPropertyName("minOrderAmt")]
    public decimal? MinOrderAmt { get; init; }
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

/// <summary>A request on the private stream: <c>{"op":"auth","args":[apiKey, expires, signature]}</c>, <c>subscribe</c>, <c>ping</c>.</summary>
public sealed record BybitStreamRequest(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("args")] IReadOnlyList<object>? Args = null);

/// <summary>
/// A message from the private stream: an answer to a request (<c>op</c>, <c>success</c>, <c>ret_msg</c>) or a topic's
/// push (<c>topic</c>, <c>creationTime</c>, <c>data</c>, read by topic into <see cref="BybitOrderRow"/> or <see cref="BybitExecution"/>).
/// </summary>
public sealed class BybitStreamMessage
{
    [JsonPropertyName("op")]
    public string? Op { get; init; }

    [JsonPropertyName("success")]
    public bool? Success { get; init; }

    [JsonPropertyName("ret_msg")]
    public string? RetMsg { get; init; }

    [JsonPropertyName("topic")]
    public string? Topic { get; init; }

    [JsonPropertyName("creationTime")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? CreationTime { get; init; }

    [JsonPropertyName("data")]
    public JsonElement Data { get; init; }
}

/// <summary>A row of the private stream's <c>execution</c> topic.</summary>
public sealed class BybitExecution
{
    [JsonPropertyName("orderLinkId")]
    public string? OrderLinkId { get; init; }

    [JsonPropertyName("execTime")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? ExecTime { get; init; }
}

/// <summary>Bybit's times: milliseconds since the epoch, sent as strings.</summary>
public static class BybitTime
{
    public static DateTimeOffset? FromMilliseconds(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(BrokerDecimalConverter)])]
[JsonSerializable(typeof(BybitClock))]
[JsonSerializable(typeof(BybitEnvelope<BybitOrderId>))]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitOrderRow>>))]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitPositionRow>>))]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitInstrumentRow>>))]
[JsonSerializable(typeof(BybitCreateOrder))]
[JsonSerializable(typeof(BybitCancelOrder))]
[JsonSerializable(typeof(BybitStreamRequest))]
[JsonSerializable(typeof(BybitStreamMessage))]
[JsonSerializable(typeof(List<BybitOrderRow>))]
[JsonSerializable(typeof(List<BybitExecution>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
public sealed partial class BybitWireContext : JsonSerializerContext;
