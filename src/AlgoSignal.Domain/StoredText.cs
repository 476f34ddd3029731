using System.Text.Json;

namespace AlgoSignal.Domain;

/// <summary>
/// Text that can be stored as PostgreSQL <c>text</c> and encoded as UTF-8: no NUL character (PostgreSQL
/// refuses it) and no lone UTF-16 surrogate (it has no UTF-8 form). Checked at the edge so such input is
/// a 400 naming the field rather than a failed write.
/// </summary>
public static class StoredText
{
    /// <summary>Why <paramref name="value"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "contains a NUL character (\\u0000), which cannot be stored";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains a lone surrogate (\\u{(int)c:X4}), which is not valid Unicode text";
            }
        }

        return null;
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
}
