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
        if (LooksLikePlainText(text))
        {
            return $"{where}: the alert message must be JSON, not plain text like \"{Clip(text.Trim())}\". Write it as {Template} "
                + "(templates/webhook_template.json has the full template with TradingView placeholders).";
        }

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

        if (UnquotedPlaceholder(text) is { } placeholder)
        {
            return $"the placeholder {placeholder} is not in quotes and was not replaced by a number; write \"{placeholder}\" in quotes or check its spelling";
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

    /// <summary>A short alert in the shape TradingView's Message box needs.</summary>
    public const string Template = """{"strategy":"demo","action":"{{strategy.order.action}}","symbol":"{{ticker}}","quantity":"{{strategy.order.contracts}}"}""";

    /// <summary>
    /// A body that does not even start like JSON (<c>BUY BTCUSDT</c>): TradingView sends the Message
    /// box as written, so this is a message typed as prose.
    /// </summary>
    private static bool LooksLikePlainText(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && char.IsLetter(trimmed[0]) && !trimmed.StartsWith("true") && !trimmed.StartsWith("false") && !trimmed.StartsWith("null")
            && !trimmed.StartsWith("NaN") && !trimmed.StartsWith("Infinity");
    }

    /// <summary>
    /// The first <c>{{…}}</c> outside every string: inside <c>"{{exchange}}:{{ticker}}"</c> a ':' is
    /// text, not a key separator, so strings are skipped rather than matched by a pattern.
    /// </summary>
    private static string? UnquotedPlaceholder(string text)
    {
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf("}}", i, StringComparison.Ordinal);
                return end < 0 ? null : text[i..(end + 2)];
            }
        }

        return null;
    }

    private static string Clip(string value) => StorableText.Clip(value, 32);

    [GeneratedRegex(@",\s*[}\]]")]
    private static partial Regex TrailingComma();

    [GeneratedRegex(@"[{,]\s*'[^']*'\s*:")]
    private static partial Regex SingleQuotedKey();

    [GeneratedRegex(@"[{,]\s*[A-Za-z_][A-Za-z0-9_]*\s*:")]
    private static partial Regex UnquotedKey();
}
