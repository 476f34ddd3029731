using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Text PostgreSQL can store: it refuses NUL in <c>text</c> and <c>jsonb</c> (SQLSTATE 22P05), and
/// a JSON escape of an unpaired UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON but not text at all.
/// Alerts carrying either are refused at the edge; whatever is stored anyway (the webhook log's
/// evidence) goes through <see cref="Sanitize"/>. The character rules are <see cref="StoredText"/>'s;
/// this class adds the alert's wording and reading JSON strings that System.Text.Json will not materialise.
/// </summary>
public static class StorableText
{
    /// <summary>What replaces a NUL or an unpaired surrogate in stored text.</summary>
    public const char Replacement = StoredText.Replacement;

    /// <returns>Null when <paramref name="text"/> can be stored, else why not (for an error message).</returns>
    public static string? Problem(string text)
    {
        var index = StoredText.IndexOfUnstorable(text);
        if (index < 0)
        {
            return null;
        }

        return text[index] == '\0'
            ? "contains a NUL character (\\u0000), which cannot be stored; remove it"
            : "contains an unpaired UTF-16 surrogate (such as \\ud800 without its pair), which is not text; send valid Unicode";
    }

    /// <summary>The text with every NUL and unpaired surrogate replaced by U+FFFD; the same instance when it is clean.</summary>
    public static string Sanitize(string text) => StoredText.Clean(text);

    /// <summary>At most <paramref name="length"/> characters and an ellipsis, never cutting a surrogate pair in two.</summary>
    public static string Clip(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
        return value[..cut] + "…";
    }

    /// <summary>Null-tolerant <see cref="Sanitize"/>.</summary>
    public static string? SanitizeOrNull(string? text) => StoredText.Clean(text);

    /// <summary>A JSON string's value, made storable; <paramref name="problem"/> says why it was not (null when it was).</summary>
    public static string Read(JsonElement value, out string? problem)
    {
        string text;
        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to materialise an unpaired surrogate escape; decode it ourselves.
            text = Unescape(value.GetRawText());
        }

        problem = Problem(text);
        return problem is null ? text : Sanitize(text);
    }

    /// <summary>A property's name, made storable; <paramref name="problem"/> says why it was not (null when it was).</summary>
    public static string ReadName(JsonProperty property, out string? problem)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            // The raw text of a property starts with its quoted name.
            name = Unescape(property.ToString());
        }

        problem = Problem(name);
        return problem is null ? name : Sanitize(name);
    }

    /// <summary>Decodes the JSON string literal that <paramref name="raw"/> starts with (its opening quote first).</summary>
    private static string Unescape(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length && raw[i] != '"'; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                builder.Append(c);
                continue;
            }

            var escape = raw[++i];
            switch (escape)
            {
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u' when i + 4 < raw.Length && ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default: builder.Append(escape); break;
            }
        }

        return builder.ToString();
    }
}
