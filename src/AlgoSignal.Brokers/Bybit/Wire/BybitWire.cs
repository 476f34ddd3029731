using System.Globalization;
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
