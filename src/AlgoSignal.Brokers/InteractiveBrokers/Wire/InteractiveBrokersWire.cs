using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AlgoSignal.Brokers.InteractiveBrokers.Wire;

// The Client Portal Web API's own field names (docs: iserver/secdef/search, iserver/account/{accountId}/orders,
// iserver/reply/{replyId}, iserver/account/orders, iserver/account/order/status/{orderId},
// portfolio/{accountId}/positions/{pageId}). Ids come as strings in some answers and numbers in others.

/// <summary>
/// An answer that is a list of rows when the gateway has something to say and an object otherwise: the order list
/// (<c>{"orders":[…]}</c> or a bare list), placing and replying (a list of prompts or confirmations, or
/// <c>{"error":"…"}</c>), contract search and position pages (a list, or an object when there is none).
/// </summary>
public sealed class IbkrRows<T>
{
    public List<T>? Rows { get; init; }

    public string? Error { get; init; }
}

/// <summary>The object form of <see cref="IbkrRows{T}"/>.</summary>
public sealed class IbkrRowsObject<T>
{
    [JsonPropertyName("orders")]
    public List<T>? Orders { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

/// <summary>Reads <see cref="IbkrRows{T}"/> from either form; anything else is a malformed answer.</summary>
public sealed class IbkrRowsConverter<T> : JsonConverter<IbkrRows<T>>
{
    public override IbkrRows<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                return new IbkrRows<T> { Rows = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<List<T>>)options.GetTypeInfo(typeof(List<T>))) };
            case JsonTokenType.StartObject:
                var answer = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<IbkrRowsObject<T>>)options.GetTypeInfo(typeof(IbkrRowsObject<T>)));
                return new IbkrRows<T> { Rows = answer?.Orders, Error = answer?.Error };
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"Expected a list or an object, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, IbkrRows<T> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Gateway answers are only read.");
}

/// <summary>A row of iserver/secdef/search.</summary>
public sealed class IbkrContract
{
    [JsonPropertyName("conid")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? Conid { get; init; }

    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }
}

/// <summary>
/// A row of the answer to placing an order or replying: a prompt to confirm (<c>id</c>, <c>message</c>) or an order
/// placed (<c>order_id</c>, <c>order_status</c>).
/// </summary>
public sealed class IbkrOrderReply
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? Id { get; init; }

    [JsonPropertyName("message")]
    public List<string>? Message { get; init; }

    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("order_status")]
    public string? OrderStatus { get; init; }
}

/// <summary>A row of iserver/account/orders.</summary>
public sealed class IbkrOrderRow
{
    [JsonPropertyName("orderId")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? OrderId { get; init; }

    /// <summary>The <c>cOID</c> the order was placed with.</summary>
    [JsonPropertyName("order_ref")]
    public string? OrderRef { get; init; }

    /// <summary>Submitted, PreSubmitted, PendingSubmit, PendingCancel (working), Filled, Cancelled, Inactive.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("ticker")]
    public string? Ticker { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("totalSize")]
    public decimal? TotalSize { get; init; }

    [JsonPropertyName("filledQuantity")]
    public decimal? FilledQuantity { get; init; }

    [JsonPropertyName("remainingQuantity")]
    public decimal? RemainingQuantity { get; init; }
}

/// <summary>The answer of iserver/account/order/status/{orderId}.</summary>
public sealed class IbkrOrderStatus
{
    [JsonPropertyName("order_status")]
    public string? OrderStatus { get; init; }

    [JsonPropertyName("cum_fill")]
    public decimal? CumFill { get; init; }

    [JsonPropertyName("total_size")]
    public decimal? TotalSize { get; init; }

    [JsonPropertyName("average_price")]
    public decimal? AveragePrice { get; init; }
}

/// <summary>The answer to cancelling an order: <c>{"msg":…,"order_id":…}</c> or <c>{"error":"…"}</c>.</summary>
public sealed class IbkrCancelled
{
    [JsonPropertyName("msg")]
    public string? Msg { get; init; }

    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(BrokerTextConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

/// <summary>A row of portfolio/{accountId}/positions/{pageId}.</summary>
public sealed class IbkrPosition
{
    [JsonPropertyName("ticker")]
    public string? Ticker { get; init; }

    [JsonPropertyName("contractDesc")]
    public string? ContractDesc { get; init; }

    [JsonPropertyName("position")]
    public decimal? Position { get; init; }

    [JsonPropertyName("avgPrice")]
    public decimal? AvgPrice { get; init; }

    [JsonPropertyName("avgCost")]
    public decimal? AvgCost { get; init; }
}

/// <summary>The body of iserver/account/{accountId}/orders: the parent and its bracket children.</summary>
public sealed record IbkrOrdersRequest([property: JsonPropertyName("orders")] List<IbkrOrderTicket> Orders);

/// <summary>
/// One order: <c>price</c> is the limit price, but a stop order's stop price; a stop-limit carries its stop in
/// <c>auxPrice</c>. Bracket children name their parent's <c>cOID</c> in <c>parentId</c>. Numbers as JSON numbers.
/// </summary>
public sealed record IbkrOrderTicket
{
    [JsonPropertyName("conid")]
    public required long Conid { get; init; }

    [JsonPropertyName("orderType")]
    public required string OrderType { get; init; }

    [JsonPropertyName("side")]
    public required string Side { get; init; }

    [JsonPropertyName("quantity")]
    public required decimal Quantity { get; init; }

    [JsonPropertyName("price")]
    public decimal? Price { get; init; }

    [JsonPropertyName("auxPrice")]
    public decimal? AuxPrice { get; init; }

    [JsonPropertyName("tif")]
    public required string Tif { get; init; }

    [JsonPropertyName("cOID")]
    public required string COID { get; init; }

    [JsonPropertyName("parentId")]
    public string? ParentId { get; init; }

    [JsonPropertyName("outsideRTH")]
    public bool? OutsideRTH { get; init; }
}

/// <summary>The answer of iserver/auth/status (and of ssodh/init).</summary>
public sealed class IbkrAuthStatus
{
    [JsonPropertyName("authenticated")]
    public bool? Authenticated { get; init; }

    [JsonPropertyName("connected")]
    public bool? Connected { get; init; }
}

/// <summary>The body of iserver/auth/ssodh/init: open a brokerage session, taking it over from another login.</summary>
public sealed record IbkrSsodhInit([property: JsonPropertyName("publish")] bool Publish, [property: JsonPropertyName("compete")] bool Compete);

/// <summary>An empty JSON body (<c>{}</c>), as iserver/auth/status and tickle take.</summary>
public sealed record IbkrEmptyRequest;

/// <summary>The body of iserver/reply/{replyId}.</summary>
public sealed record IbkrReplyRequest([property: JsonPropertyName("confirmed")] bool Confirmed);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(BrokerDecimalConverter), typeof(IbkrRowsConverter<IbkrContract>), typeof(IbkrRowsConverter<IbkrOrderReply>), typeof(IbkrRowsConverter<IbkrOrderRow>), typeof(IbkrRowsConverter<IbkrPosition>)])]
[JsonSerializable(typeof(IbkrRows<IbkrContract>))]
[JsonSerializable(typeof(IbkrRows<IbkrOrderReply>))]
[JsonSerializable(typeof(IbkrRows<IbkrOrderRow>))]
[JsonSerializable(typeof(IbkrRows<IbkrPosition>))]
[JsonSerializable(typeof(IbkrRowsObject<IbkrContract>))]
[JsonSerializable(typeof(IbkrRowsObject<IbkrOrderReply>))]
[JsonSerializable(typeof(IbkrRowsObject<IbkrOrderRow>))]
[JsonSerializable(typeof(IbkrRowsObject<IbkrPosition>))]
[JsonSerializable(typeof(IbkrOrderStatus))]
[JsonSerializable(typeof(IbkrCancelled))]
[JsonSerializable(typeof(IbkrOrdersRequest))]
[JsonSerializable(typeof(IbkrReplyRequest))]
[JsonSerializable(typeof(IbkrAuthStatus))]
[JsonSerializable(typeof(IbkrSsodhInit))]
[JsonSerializable(typeof(IbkrEmptyRequest))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class IbkrWireContext : JsonSerializerContext;
