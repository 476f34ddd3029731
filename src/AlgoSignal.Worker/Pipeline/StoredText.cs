using System.Globalization;
using System.Text;
using System.Text.Json;
using AlgoSignal.Contracts;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Text as PostgreSQL can store it. A message may reach the worker without passing the ingress (the
/// queue, a hand-written envelope), and PostgreSQL refuses NUL in <c>text</c> (22021) and the escape
/// <c>\u0000</c> or a lone surrogate in <c>jsonb</c> (22P05): one such character would fail the alert on
/// every delivery. Each becomes U+FFFD, visibly replaced; everything else is kept as it came.
/// </summary>
public static class StoredText
{
    private const char Replacement = '\uFFFD';

    /// <summary>The message with every text it carries made storable; the payload stays JSON (an unreadable one is kept as a string).</summary>
    public static AlertReceived Clean(AlertReceived message) => message with
    {
        Source = Clean(message.Source) ?? "unknown",
        Strategy = Clean(message.Strategy),
        SourceIp = Clean(message.SourceIp),
        Payload = Json(message.Payload),
    };

    /// <summary>NUL and unpaired surrogates replaced.</summary>
    public static string? Clean(string? text)
    {
        if (text is null || !NeedsCleaning(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? Replacement : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// JSON that a <c>jsonb</c> column takes: the characters above, and the escapes <c>\u0000</c> and
    /// lone <c>\uD800</c>–<c>\uDFFF</c>, replaced. Text that is not JSON at all is stored as a JSON string,
    /// so the alert can still be stored and shown with its rejection.
    /// </summary>
    public static string Json(string? json)
    {
        var cleaned = JsonText(json ?? "");
        try
        {
            using var _ = JsonDocument.Parse(cleaned);
            return cleaned;
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(cleaned);
        }
    }

    /// <summary>The characters and escapes of <see cref="Json"/> replaced, without checking that the text is JSON.</summary>
    public static string JsonText(string json)
    {
        var text = Clean(json)!;
        return text.Contains("\\u", StringComparison.OrdinalIgnoreCase) ? CleanEscapes(text) : text;
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
        {
            if (c == '\0' || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string CleanEscapes(string json)
    {
        var builder = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (!inString)
            {
                inString = c == '"';
                builder.Append(c);
                continue;
            }

            if (c == '"')
            {
                inString = false;
                builder.Append(c);
                continue;
            }

            if (c != '\\' || i + 1 >= json.Length)
            {
                builder.Append(c);
                continue;
            }

            if (json[i + 1] != 'u' || !TryHex(json, i + 2, out var code))
            {
                // Any other escape (\" \\ \n …) passes as it is, both characters at once.
                builder.Append(c).Append(json[i + 1]);
                i++;
                continue;
            }

            var pairedLow = code is >= 0xD800 and <= 0xDBFF && i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                && TryHex(json, i + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF;
            if (pairedLow)
            {
                builder.Append(json, i, 12);
                i += 11;
            }
            else if (code == 0 || code is >= 0xD800 and <= 0xDFFF)
            {
                builder.Append("\\ufffd");
                i += 5;
            }
            else
            {
                builder.Append(json, i, 6);
                i += 5;
            }
        }

        return builder.ToString();
    }

    private static bool TryHex(string text, int start, out int value)
    {
        value = 0;
        return start + 4 <= text.Length
            && int.TryParse(text.AsSpan(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
