using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AlgoSignal.Domain;

/// <summary>
/// Text that can be stored as PostgreSQL <c>text</c> and encoded as UTF-8: no NUL character (PostgreSQL
/// refuses it in <c>text</c>, 22021, and in <c>jsonb</c>, 22P05) and no lone UTF-16 surrogate (it has no
/// UTF-8 form). Checked at the edge so such input is a 400 naming the field rather than a failed write;
/// text stored anyway (evidence, a message that never passed the edge) has each such character
/// replaced by U+FFFD, visibly, with everything else kept as it came. The one place these rules live.
/// </summary>
public static class StoredText
{
    /// <summary>What replaces a NUL or an unpaired surrogate in stored text.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>The index of the first NUL or unpaired surrogate in <paramref name="text"/>, or -1 when it can be stored.</summary>
    public static int IndexOfUnstorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Why <paramref name="value"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(string value)
    {
        var index = IndexOfUnstorable(value);
        if (index < 0)
        {
            return null;
        }

        var c = value[index];
        return c == '\0'
            ? "contains a NUL character (\\u0000), which cannot be stored"
            : $"contains a lone surrogate (\\u{(int)c:X4}), which is not valid Unicode text";
    }

    /// <summary>The text with every NUL and unpaired surrogate replaced by U+FFFD; the same instance when it can be stored as it is.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Clean(string? text)
    {
        var first = text is null ? -1 : IndexOfUnstorable(text);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text!.Length);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
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
    /// JSON that a <c>jsonb</c> column takes: the characters of <see cref="Clean"/>, and the escapes
    /// <c>\u0000</c> and lone <c>\uD800</c>–<c>\uDFFF</c>, replaced. Text that is not JSON at all is stored as
    /// a JSON string, so it can still be stored and shown.
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
        var text = Clean(json);
        return text.Contains("\\u", StringComparison.OrdinalIgnoreCase) ? CleanEscapes(text) : text;
    }

    /// <summary>
    /// Every string (values and field names) in a JSON body that cannot be stored, and every field named
    /// twice in one object (which JSON readers resolve differently), as (path, message) pairs.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> ProblemsIn(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryRead(() => property.Name, out var name, out var nameProblem))
                    {
                        yield return (path.Length == 0 ? "body" : path, $"a field name {nameProblem}");
                        continue;
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (Problem(name) is { } problem)
                    {
                        yield return (path.Length == 0 ? "body" : path, $"a field name {problem}");
                        continue;
                    }

                    if (!seen.Add(name))
                    {
                        yield return (child, $"\"{child}\" is given twice; give each field once.");
                        continue;
                    }

                    foreach (var inner in ProblemsIn(property.Value, child))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in ProblemsIn(item, $"{path}[{index++}]"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.String:
                var message = TryRead(element.GetString, out var text, out var readProblem) ? Problem(text) : readProblem;
                if (message is not null)
                {
                    var field = path.Length == 0 ? "body" : path;
                    yield return (field, $"\"{field}\" {message}.");
                }

                break;
        }
    }

    private static bool TryRead(Func<string?> read, out string value, out string? problem)
    {
        try
        {
            // Escapes such as "\ud800" are unescaped only here; an unpaired one cannot become a string.
            value = read() ?? "";
            problem = null;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            problem = "contains a lone surrogate escape (such as \\ud800), which is not valid Unicode text";
            return false;
        }
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
