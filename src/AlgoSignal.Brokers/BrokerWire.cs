using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers;

/// <summary>
/// A broker number as its answers carry it: a JSON number or a numeric string (Bybit and TradeStation send
/// numbers as strings, IBKR mixes both). An empty or non-numeric string reads as absent, as the brokers use
/// <c>""</c> for "not yet" (an average price before the first fill); any other shape is a malformed answer.
/// Written as a plain JSON number (request bodies pass it through <see cref="BrokerNumbers.Canonical"/> first).
/// </summary>
public sealed class BrokerDecimalConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.TryGetDecimal(out var number) ? number : null,
        JsonTokenType.String => decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        _ => throw new JsonException($"Expected a number, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>
/// An identifier or timestamp a broker sends as a string in one answer and as a number in another (IBKR's
/// <c>conid</c> and <c>orderId</c>, Bybit's millisecond times): read as its text either way.
/// </summary>
public sealed class BrokerTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => throw new JsonException($"Expected a string or a number, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
