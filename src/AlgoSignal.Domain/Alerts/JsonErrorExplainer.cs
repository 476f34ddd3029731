using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Says where JSON broke and, where the text shows it, why — the most common support question of
/// webhook bridges is an alert message that is "almost" JSON.
/// </summary>
public static partial class JsonErrorExplainer
{
    public static string Explain(string text, JsonException exception)
    {
        var line = (exception.LineNumber ?? 0) + 1;
        var position = (exception.BytePositionInLine ?? 0) + 1;
        var where = $"Malformed JSON at line {line}, position {position}";
        var cause = LikelyCause(text, exception);
        return cause is null ? where + "." : $"{where}: {cause}.";
    }

    private static string? LikelyCause(string text, JsonException exception)
    {
        if (exception.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return $"the JSON is nested deeper than {AlertParser.MaxDepth} levels; an alert is a flat object";
        }

        if (text.AsSpan().IndexOfAny("\u201C\u201D\u2018\u2019\u201E") >= 0)
        {
            return "it contains typographic (smart) quotes such as “ or ”; use plain double quotes (\")";
        }

        var placeholder = UnquotedPlaceholder().Match(text);
        if (placeholder.Success)
        {
            return $"the placeholder {placeholder.Groups[1].Value} is not in quotes and was not replaced by a number; write \"{placeholder.Groups[1].Value}\" in quotes or check its spelling";
        }

        if (TrailingComma().IsMatch(text))
        {
            return "there is a comma before a closing } or ]; remove the trailing comma";
        }

        if (SingleQuotedKey().IsMatch(text))
        {
            return "JSON needs double quotes (\") around keys and strings, not single quotes";
        }

        if (UnquotedKey().IsMatch(text))
        {
            return "a key is not in double quotes; write \"action\": … not action: …";
        }

        if (exception.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("ExpectedSeparatorAfterPropertyNameNotFound", StringComparison.Ordinal))
        {
            return "the JSON ends early; check for a missing } or \"";
        }

        return null;
    }

    [GeneratedRegex(@"[:\[,]\s*(\{\{[^}]*\}\})")]
    private static partial Regex UnquotedPlaceholder();

    [GeneratedRegex(@",\s*[}\]]")]
    private static partial Regex TrailingComma();

    [GeneratedRegex(@"[{,]\s*'[^']*'\s*:")]
    private static partial Regex SingleQuotedKey();

    [GeneratedRegex(@"[{,]\s*[A-Za-z_][A-Za-z0-9_]*\s*:")]
    private static partial Regex UnquotedKey();
}
