using System.Text.Json.Serialization;

namespace AlgoSignal.Contracts;

/// <summary>
/// An alert sent straight to the <c>submit-alert</c> queue by another service (README, "Integrating through RabbitMQ"): the
/// webhook body's fields plus <see cref="Source"/>. Accepted in MassTransit's envelope or as raw JSON
/// (<c>content_type: application/json</c>); it then follows the webhook's path.
/// </summary>
/// <remarks>
/// Every field is <see cref="object"/> on purpose: senders write numbers as numbers or strings, and a
/// typed field would make a malformed value fail deserialization before AlgoSignal can report it.
/// The worker parses the raw body with the webhook's parser and reports every problem as alert state.
/// Set strings and decimals as usual (<c>Price = 42000.5m</c>).
/// </remarks>
public sealed record SubmitAlert
{
    [JsonPropertyName("source")] public object? Source { get; init; }
    [JsonPropertyName("strategy")] public object? Strategy { get; init; }
    [JsonPropertyName("action")] public object? Action { get; init; }
    [JsonPropertyName("symbol")] public object? Symbol { get; init; }
    [JsonPropertyName("exchange")] public object? Exchange { get; init; }
    [JsonPropertyName("alert_id")] public object? AlertId { get; init; }
    [JsonPropertyName("price")] public object? Price { get; init; }
    [JsonPropertyName("quantity")] public object? Quantity { get; init; }
    [JsonPropertyName("order_type")] public object? OrderType { get; init; }
    [JsonPropertyName("limit_price")] public object? LimitPrice { get; init; }
    [JsonPropertyName("stop_price")] public object? StopPrice { get; init; }
    [JsonPropertyName("time_in_force")] public object? TimeInForce { get; init; }
    [JsonPropertyName("take_profit")] public object? TakeProfit { get; init; }
    [JsonPropertyName("stop_loss")] public object? StopLoss { get; init; }
    [JsonPropertyName("market_position")] public object? MarketPosition { get; init; }
    [JsonPropertyName("prev_market_position")] public object? PrevMarketPosition { get; init; }
    [JsonPropertyName("position_size")] public object? PositionSize { get; init; }
    [JsonPropertyName("timeframe")] public object? Timeframe { get; init; }
    [JsonPropertyName("time")] public object? Time { get; init; }
    [JsonPropertyName("message")] public object? Message { get; init; }
    [JsonPropertyName("account")] public object? Account { get; init; }
}
