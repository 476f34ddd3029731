using System.Globalization;
using System.Text.Json;

namespace AlgoSignal.Domain.Strategies;

// Each value against its field's kind (nested objects and lists included), and the words for what was expected and what came.
public static partial class StrategyJson
{
    private static void CheckObject(JsonElement value, string path, Field[] fields, List<StrategyFieldError> errors, IReadOnlySet<string>? ignore = null)
    {
        foreach (var property in value.EnumerateObject())
        {
            var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            var field = Array.Find(fields, f => f.Name == property.Name);
            if (field is null)
            {
                if (ignore?.Contains(property.Name) != true)
                {
                    errors.Add(new StrategyFieldError(Shorten(name), $"\"{Shorten(name)}\" is not a field of {(path.Length == 0 ? "a strategy" : $"\"{path}\"")}; the fields are {string.Join(", ", fields.Select(f => f.Name))}."));
                }

                continue;
            }

            CheckValue(property.Value, name, field, errors);
        }
    }

    private static void CheckValue(JsonElement value, string path, Field field, List<StrategyFieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!field.Nullable)
            {
                errors.Add(new StrategyFieldError(path, $"\"{path}\" cannot be null; it must be {Expected(field.Kind)}."));
            }

            return;
        }

        var fits = field.Kind switch
        {
            Kind.Text => value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= MaxStringLength,
            Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Kind.Number => TryDecimal(value),
            Kind.WholeNumber => TryInteger(value),
            Kind.Texts => CheckArray(value, path, errors, (item, _) => item.ValueKind == JsonValueKind.String && item.GetString()!.Length <= MaxStringLength, "a string"),
            Kind.Routes => CheckArray(value, path, errors, (item, at) => CheckRoute(item, at, errors), $"an object {RouteExample}"),
            Kind.Sizing => CheckNested(value, path, SizingFields, errors),
            Kind.TradingWindow => CheckWindow(value, path, errors),
            _ => false,
        };
        if (!fits)
        {
            errors.Add(new StrategyFieldError(path, $"\"{path}\" must be {Expected(field.Kind)}{(field.Nullable ? " or null" : "")}, not {Describe(value)}."));
        }
    }

    private static bool CheckArray(JsonElement value, string path, List<StrategyFieldError> errors, Func<JsonElement, string, bool> item, string expected)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        if (value.GetArrayLength() > MaxArrayLength)
        {
            errors.Add(new StrategyFieldError(path, $"\"{path}\" may list at most {MaxArrayLength} entries."));
            return true;
        }

        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (!item(element, at))
            {
                errors.Add(new StrategyFieldError(at, $"\"{at}\" must be {expected}, not {Describe(element)}."));
            }
        }

        return true;
    }

    private static bool CheckNested(JsonElement value, string path, Field[] fields, List<StrategyFieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        CheckObject(value, path, fields, errors);
        return true;
    }

    private static bool CheckRoute(JsonElement value, string path, List<StrategyFieldError> errors) =>
        CheckComplete(value, path, RouteFields, $"a route is {RouteExample}", errors);

    private static bool CheckWindow(JsonElement value, string path, List<StrategyFieldError> errors) =>
        CheckComplete(value, path, WindowFields, $"a trading window is {WindowExample}", errors);

    /// <summary>An object without defaults: every one of its fields is required.</summary>
    private static bool CheckComplete(JsonElement value, string path, Field[] fields, string example, List<StrategyFieldError> errors)
    {
        if (!CheckNested(value, path, fields, errors))
        {
            return false;
        }

        foreach (var missing in fields.Where(f => !value.TryGetProperty(f.Name, out _)))
        {
            errors.Add(new StrategyFieldError($"{path}.{missing.Name}", $"\"{path}.{missing.Name}\" is missing; {example}."));
        }

        return true;
    }

    // Numbers may also arrive as numeric strings, as the strategy reader has always accepted them.
    private static bool TryDecimal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDecimal(out _),
        JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static bool TryInteger(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt32(out _),
        JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static string Expected(Kind kind) => kind switch
    {
        Kind.Text => $"a string of at most {MaxStringLength} characters",
        Kind.Texts => "a list of strings ([] for any)",
        Kind.Boolean => "true or false",
        Kind.Number => "a number (e.g. 1.5)",
        Kind.WholeNumber => "a whole number (e.g. 5)",
        Kind.Routes => $"a list of routes such as [{RouteExample}]",
        Kind.Sizing => $"an object such as {SizingExample}",
        Kind.TradingWindow => $"an object such as {WindowExample}",
        _ => "valid",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => value.GetString()!.Length > 40 ? "a longer string" : $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText().Length > 40 ? "a number out of range" : $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shorten(string name) => name.Length > 64 ? name[..64] + "…" : name;
}
