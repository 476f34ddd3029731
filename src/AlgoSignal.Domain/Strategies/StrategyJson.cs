using System.Text.Json;

namespace AlgoSignal.Domain.Strategies;

/// <summary>
/// The shape of a strategy body, checked before it is read into a <see cref="StrategyDefinition"/>:
/// every field known, of its type, null only where null means "no limit", every string storable. Each
/// mistake becomes a message naming the field and what it expects, and reading checked JSON cannot fail
/// (so no reader's wording, and no type name, reaches the user).
/// </summary>
/// <remarks>Here the fields and the whole-body check; each value is checked against its field in <c>StrategyJson.Values.cs</c>.</remarks>
public static partial class StrategyJson
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

    private sealed record Field(string Name, Kind Kind, bool Nullable = false);
}
