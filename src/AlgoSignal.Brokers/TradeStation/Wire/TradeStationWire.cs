using System.Globalization;
using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers.TradeStation.Wire;

// TradeStation v3's own field names (docs: orderexecution/orders, brokerage/accounts/{accounts}/orders and
// positions, brokerage/stream/accounts/{accounts}/orders). Numbers travel as strings both ways.

/// <summary>What a failed call answers, whatever it asked: <c>{"Error":"BadRequest","Message":"…"}</c>.</summary>
public abstract class TradeStationAnswer
{
    [JsonPropertyName("Error")]
    public string? Error { get; init; }

    [JsonPropertyName("Message")]
    public string? Message { get; init; }
}

/// <summary>An order as the order list and the order stream report it.</summary>
public class TradeStationOrder : TradeStationAnswer
{
    [JsonPropertyName("OrderID")]
    public string? OrderID { get; init; }

    [JsonPropertyName("OrderConfirmID")]
    public string? OrderConfirmID { get; init; }

    /// <summary>FLL, FPR, CAN, EXP, OUT, REJ, or one of the open states.</summary>
    [JsonPropertyName("Status")]
    public string? Status { get; init; }

    [JsonPropertyName("FilledPrice")]
    public decimal? FilledPrice { get; init; }

    [JsonPropertyName("OpenedDateTime")]
    public string? OpenedDateTime { get; init; }

    [JsonPropertyName("ClosedDateTime")]
    public string? ClosedDateTime { get; init; }

    [JsonPropertyName("Legs")]
    public List<TradeStationLeg>? Legs { get; init; }
}

public sealed class TradeStationLeg
{
    [JsonPropertyName("Symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("BuyOrSell")]
    public string? BuyOrSell { get; init; }

    [JsonPropertyName("QuantityOrdered")]
    public decimal? QuantityOrdered { get; init; }

    [JsonPropertyName("ExecQuantity")]
    public decimal? ExecQuantity { get; init; }
}

/// <summary>The answer to an order list or an order by id.</summary>
public sealed class TradeStationOrders : TradeStationAnswer
{
    [JsonPropertyName("Orders")]
    public List<TradeStationOrder>? Orders { get; init; }
}

/// <summary>A line of the order stream: an order, <c>{"StreamStatus":…}</c>, <c>{"Heartbeat":…}</c> or an error.</summary>
public sealed class TradeStationStreamLine : TradeStationOrder
{
    [JsonPropertyName("StreamStatus")]
    public string? StreamStatus { get; init; }
}

/// <summary>The answer to placing an order: the orders placed, or per-order errors.</summary>
public sealed class TradeStationPlaced : TradeStationAnswer
{
    [JsonPropertyName("Orders")]
    public List<TradeStationPlacedOrder>? Orders { get; init; }

    [JsonPropertyName("Errors")]
    public List<TradeStationPlacedOrder>? Errors { get; init; }
}

/// <summary>One order of a placement's answer, or the answer to a cancel (<c>Error</c> and <c>Message</c> say why when it failed).</summary>
public sealed class TradeStationPlacedOrder : TradeStationAnswer
{
    [JsonPropertyName("OrderID")]
    public string? OrderID { get; init; }
}

public sealed class TradeStationPositions : TradeStationAnswer
{
    [JsonPropertyName("Positions")]
    public List<TradeStationPosition>? Positions { get; init; }
}

public sealed class TradeStationPosition
{
    [JsonPropertyName("Symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("Quantity")]
    public decimal? Quantity { get; init; }

    /// <summary><c>Long</c> or <c>Short</c>.</summary>
    [JsonPropertyName("LongShort")]
    public string? LongShort { get; init; }

    [JsonPropertyName("AveragePrice")]
    public decimal? AveragePrice { get; init; }
}

/// <summary>An order ticket, or one leg of its OSO (legs carry neither route nor confirm id). Numbers as strings.</summary>
public sealed record TradeStationOrderRequest
{
    [JsonPropertyName("AccountID")]
    public required string AccountID { get; init; }

    [JsonPropertyName("Symbol")]
    public required string Symbol { get; init; }

    [JsonPropertyName("Quantity")]
    public required string Quantity { get; init; }

    [JsonPropertyName("OrderType")]
    public required string OrderType { get; init; }

    [JsonPropertyName("TradeAction")]
    public required string TradeAction { get; init; }

    [JsonPropertyName("TimeInForce")]
    public required TradeStationTimeInForce TimeInForce { get; init; }

    [JsonPropertyName("LimitPrice")]
    public string? LimitPrice { get; init; }

    [JsonPropertyName("StopPrice")]
    public string? StopPrice { get; init; }

    [JsonPropertyName("Route")]
    public string? Route { get; init; }

    [JsonPropertyName("OrderConfirmID")]
    public string? OrderConfirmID { get; init; }

    [JsonPropertyName("OSOs")]
    public List<TradeStationOso>? OSOs { get; init; }
}

public sealed record TradeStationTimeInForce([property: JsonPropertyName("Duration")] string Duration);

/// <summary>Orders sent once the parent fills; <c>BRK</c> makes them a bracket (one fills, the other is cancelled).</summary>
public sealed record TradeStationOso(
    [property: JsonPropertyName("Type")] string Type,
    [property: JsonPropertyName("Orders")] List<TradeStationOrderRequest> Orders);

/// <summary>The answer to the refresh-token grant (OAuth's own names); the refresh token is there when it rotated.</summary>
public sealed class TradeStationToken
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    /// <summary>Seconds the access token lives.</summary>
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }
}

/// <summary>TradeStation's times: ISO 8601, UTC.</summary>
public static class TradeStationTime
{
    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(BrokerDecimalConverter)])]
[JsonSerializable(typeof(TradeStationToken))]
[JsonSerializable(typeof(TradeStationOrders))]
[JsonSerializable(typeof(TradeStationStreamLine))]
[JsonSerializable(typeof(TradeStationPlaced))]
[JsonSerializable(typeof(TradeStationPlacedOrder))]
[JsonSerializable(typeof(TradeStationPositions))]
[JsonSerializable(typeof(TradeStationOrderRequest))]
public sealed partial class TradeStationWireContext : JsonSerializerContext;
