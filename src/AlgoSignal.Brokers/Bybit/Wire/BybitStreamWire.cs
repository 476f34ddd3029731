using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers.Bybit.Wire;

// The private stream: its requests, its messages, and the rows of its execution topic (order rows are BybitOrderRow).

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
