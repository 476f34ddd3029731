using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Reads one alert field as a string or a number, adding to the errors what a person needs to fix it:
/// a placeholder TradingView left unsubstituted, NaN, a decimal comma, a number out of bounds.
/// </summary>
internal sealed class AlertFieldReader(List<AlertError> errors)
{
    private static readonly SearchValues<char> PlaceholderStart = SearchValues.Create("{");

    public string? String(string field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                return CheckPlaceholder(field, text) ? text : null;
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                errors.Add(new AlertError(field, $"\"{field}\" must be a string."));
                return null;
        }
    }

    public string? Lower(string field, JsonElement value) => String(field, value)?.ToLowerInvariant();

    public decimal? Decimal(string field, JsonElement value)
    {
        string raw;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                raw = value.GetRawText();
                break;
            case JsonValueKind.String:
                raw = value.GetString()!.Trim();
                if (!CheckPlaceholder(field, raw))
                {
                    return null;
                }

                break;
            default:
                errors.Add(new AlertError(field, $"\"{field}\" must be a number (e.g. 42.5 or \"42.5\")."));
                return null;
        }

        if (raw.Length == 0)
        {
            errors.Add(new AlertError(field, $"\"{field}\" is empty; give a number or leave the field out."));
            return null;
        }

        if (raw.Length > 40)
        {
            errors.Add(new AlertError(field, $"\"{field}\" is too long to be a price or quantity."));
            return null;
        }

        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            var reason = raw.Contains("nan", StringComparison.OrdinalIgnoreCase) || raw.Contains("inf", StringComparison.OrdinalIgnoreCase)
                ? "must be a finite number (TradingView writes NaN when a series has no value yet)"
                : raw.Contains(',', StringComparison.Ordinal) ? "must use '.' as the decimal separator" : "is not a number or is out of range";
            errors.Add(new AlertError(field, $"\"{field}\" {reason}: \"{Truncate(raw)}\"."));
            return null;
        }

        if (AlertNumbers.OutOfBounds(number) is { } bound)
        {
            errors.Add(new AlertError(field, $"\"{field}\" {bound}: \"{Truncate(raw)}\"."));
            return null;
        }

        return number;
    }

    private bool CheckPlaceholder(string field, string text)
    {
        var start = text.AsSpan().IndexOfAny(PlaceholderStart);
        if (start >= 0 && text.AsSpan(start).StartsWith("{{") && text.IndexOf("}}", start, StringComparison.Ordinal) > start)
        {
            var end = text.IndexOf("}}", start, StringComparison.Ordinal) + 2;
            errors.Add(new AlertError(field, $"\"{field}\" still holds the placeholder {text[start..end]}: TradingView did not substitute it. Check its spelling against TradingView's list (e.g. {{{{close}}}}, {{{{strategy.order.contracts}}}}) and that it is available for this alert type."));
            return false;
        }

        return true;
    }

    private static string Truncate(string raw) => StorableText.Clip(raw, 24);
}
