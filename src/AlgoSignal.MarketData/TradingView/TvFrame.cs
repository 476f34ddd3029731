using System.Globalization;
using System.Text;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// TradingView's socket framing: every message is <c>~m~&lt;length&gt;~m~&lt;payload&gt;</c>, length in UTF-16
/// code units; one WebSocket frame may carry several. Heartbeats are payloads <c>~h~&lt;n&gt;</c> that the
/// client echoes back, framed (docs/architecture.md, "TradingView wire protocol").
/// </summary>
public static class TvFrame
{
    private const string Marker = "~m~";

    public static string Encode(string payload) => $"{Marker}{payload.Length.ToString(CultureInfo.InvariantCulture)}{Marker}{payload}";

    public static bool IsHeartbeat(string payload) => payload.StartsWith("~h~", StringComparison.Ordinal);

    /// <summary>Splits a frame into its payloads by the length prefixes (never by searching the payload).</summary>
    /// <exception cref="FormatException">The frame does not follow the framing.</exception>
    public static List<string> Decode(string frame)
    {
        var payloads = new List<string>();
        var position = 0;
        while (position < frame.Length)
        {
            if (string.CompareOrdinal(frame, position, Marker, 0, Marker.Length) != 0)
            {
                throw new FormatException($"Expected {Marker} at {position}.");
            }

            var lengthStart = position + Marker.Length;
            var lengthEnd = frame.IndexOf(Marker, lengthStart, StringComparison.Ordinal);
            if (lengthEnd < 0 || !int.TryParse(frame.AsSpan(lengthStart, lengthEnd - lengthStart), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new FormatException($"Bad length prefix at {position}.");
            }

            var payloadStart = lengthEnd + Marker.Length;
            if (payloadStart + length > frame.Length)
            {
                throw new FormatException($"Payload of {length} exceeds the frame at {payloadStart}.");
            }

            payloads.Add(frame.Substring(payloadStart, length));
            position = payloadStart + length;
        }

        return payloads;
    }

    /// <summary>A protocol message: compact JSON <c>{"m":method,"p":[…]}</c>, framed.</summary>
    public static string Message(string method, params object?[] parameters)
    {
        var builder = new StringBuilder();
        builder.Append("{\"m\":").Append(System.Text.Json.JsonSerializer.Serialize(method)).Append(",\"p\":")
            .Append(System.Text.Json.JsonSerializer.Serialize(parameters)).Append('}');
        return Encode(builder.ToString());
    }
}
