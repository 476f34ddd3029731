using System.Globalization;
using System.Text.Json;

namespace AlgoSignal.Domain.Strategies;

/// <summary>
/// The shape of a strategy body, checked before it is read into a <see cref="StrategyDefinition"/>:
/// every field known, of its type, null only where null means "no limit", every string storable. Each
/// mistake becomes a message naming the field and what it expects, and reading checked JSON cannot fail
/// (so no reader's wording, and no type name, reaches the user).
/// </summary>
public static class StrategyJson
{
    public const int MaxDepth = 8;
    public const int MaxStringLength = 200;
    public const int MaxArrayLength = 1000;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Fields the API answers but a body cannot set; ignored in POST and PUT so an answer can be edited and sent back.</summary>
    public static readonly IReadOnlySet<string> ReadOnlyFields = new HashSet<string>(StringComparer.Ordinal) { "has_webhook_token", "created_at", "updated_at" };

    private const string RouteExample = "{\"broker\":\"paper\",\"account\":\"paper-1\"}";
    private const string SizingExample = "{\"mode\":\"fixed\",\"quantity\":1}";
    private const string WindowExample = "{\"start\":\"09:30\",\"end\":\"16:00\",\"timezone\":\"America/New_York\",\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]}";

    private static readonly Field[] Fields =
    [
        new("name", Kind.Text),
        new("enabled", Kind.Boolean),
        new("mode", Kind.Text),
        new("routes", Kind.Routes),
        new("symbols", Kind.Texts),
        new("timeframes", Kind.Texts),
        new("sizing", Kind.Sizing),
        new("risk_multiplier", Kind.Number),
        new("max_positions", Kind.WholeNumber),
        new("max_position_quantity", Kind.Number, Nullable: true),
        new("max_order_notional", Kind.Number, Nullable: true),
        new("max_daily_loss", Kind.Number, Nullable: true),
        new("max_orders_per_minute", Kind.WholeNumber),
        new("trading_window", Kind.TradingWindow, Nullable: true),
        new("max_signal_age_seconds", Kind.WholeNumber),
        new("allow_short", Kind.Boolean),
        new("pyramiding", Kind.WholeNumber),
    ];

    private static readonly Field[] RouteFields = [new("broker", Kind.Text), new("account", Kind.Text)];

    private static readonly Field[] SizingFields =
    [
        new("mode", Kind.Text),
        new("quantity", Kind.Number, Nullable: true),
        new("amount", Kind.Number, Nullable: true),
        new("percent", Kind.Number, Nullable: true),
    ];

    private static readonly Field[] WindowFields = [new("start", Kind.Text), new("end", Kind.Text), new("timezone", Kind.Text), new("days", Kind.Texts)];

    private enum Kind
    {
        Text,
        Texts,
        Boolean,
        Number,
        WholeNumber,
        Routes,
        Sizing,
        TradingWindow,
    }

    /// <summary>The top-level fields of a strategy, in the order the API shows them.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = [.. Fields.Select(f => f.Name)];

    /// <summary>Whether null is a value of the field (meaning "no limit" or "none") rather than a mistake.</summary>
    public static bool IsNullable(string field) => Fields.Any(f => f.Name == field && f.Nullable);

    /// <summary>
    /// Every problem with the body's shape. <paramref name="whole"/> (a replacement) requires every field
    /// — the nullable ones as an explicit null — and, in <c>sizing</c>, the mode and the amount it uses;
    /// otherwise (a creation) a missing field takes its default.
    /// </summary>
    public static List<StrategyFieldError> Check(JsonElement root, bool whole)
    {
        var errors = new List<StrategyFieldError>();
        errors.AddRange(StoredText.ProblemsIn(root).Select(p => new StrategyFieldError(p.Path, p.Message)));
        if (errors.Count > 0)
        {
            return errors;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new StrategyFieldError("body", $"The body must be a strategy: a JSON object such as {{\"name\":\"rsi-btc\",\"routes\":[{RouteExample}],\"sizing\":{SizingExample}}}, not {Describe(root)}."));
            return errors;
        }

        CheckObject(root, "", Fields, errors, ignore: ReadOnlyFields);
        if (!root.TryGetProperty("name", out _) && !whole)
        {
            errors.Add(new StrategyFieldError("name", "\"name\" is required: 1–64 letters, digits, '-', '_' or '.'."));
        }

        if (whole)
        {
            var missing = Fields.Where(f => !root.TryGetProperty(f.Name, out _)).Select(f => f.Name).ToList();
            if (missing.Count > 0)
            {
                errors.AddRange(missing.Select(m => new StrategyFieldError(m, $"\"{m}\" is missing; a PUT replaces the whole strategy, so every field is required "
                    + $"({(IsNullable(m) ? "null where there is no limit" : "its current value if it should stay")}). To change some fields only, use PATCH.")));
            }

            if (root.TryGetProperty("sizing", out var sizing) && sizing.ValueKind == JsonValueKind.Object)
            {
                RequireSizingAmount(sizing, errors);
            }
        }

        return errors;
    }

    private static void RequireSizingAmount(JsonElement sizing, List<StrategyFieldError> errors)
    {
        if (!sizing.TryGetProperty("mode", out var mode) || mode.ValueKind != JsonValueKind.String)
        {
            errors.Add(new StrategyFieldError("sizing.mode", "\"sizing.mode\" is missing; give fixed, notional, percent_equity or risk_percent."));
            return;
        }

        var needs = mode.GetString() switch
        {
            SizingModes.Fixed => "quantity",
            SizingModes.Notional => "amount",
            SizingModes.PercentEquity or SizingModes.RiskPercent => "percent",
            _ => null,
        };
        if (needs is not null && !sizing.TryGetProperty(needs, out _))
        {
            errors.Add(new StrategyFieldError($"sizing.{needs}", $"\"sizing.{needs}\" is missing; {mode.GetString()} sizing needs it."));
        }
    }

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

    private sealed record Field(string Name, Kind Kind, bool Nullable = false);
}
