using System.Text;
using System.Text.Json;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Turns an alert body into an <see cref="AlertPayload"/>, collecting every problem at once and
/// explaining malformed JSON the way a person pasting into TradingView's message box needs it.
/// </summary>
public static class AlertParser
{
    /// <summary>An alert is a flat object; a little nesting is tolerated for users' own extra fields.</summary>
    public const int MaxDepth = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly AlertPayloadValidator SignedRouteValidator = new(requireStrategy: true);
    private static readonly AlertPayloadValidator TokenRouteValidator = new(requireStrategy: false);

    /// <param name="body">The raw request body.</param>
    /// <param name="requireStrategy">True on routes where the body must name the strategy.</param>
    public static AlertParseResult Parse(ReadOnlySpan<byte> body, bool requireStrategy = true)
    {
        var errors = new List<AlertError>();
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.IsEmpty || IsWhiteSpace(body))
        {
            errors.Add(new AlertError("body", "The body is empty. Put the JSON alert in the alert's Message box, e.g. {\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\"}."));
            return new AlertParseResult(null, errors, null);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            errors.Add(new AlertError("body", $"The body is not valid UTF-8 (at byte {ex.Index}). Send the alert as UTF-8 text."));
            return new AlertParseResult(null, errors, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(new AlertError("body", JsonErrorExplainer.Explain(text, ex)));
            return new AlertParseResult(null, errors, null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new AlertError("body", $"The alert must be a JSON object ({{...}}), not {Describe(root.ValueKind)}."));
                return new AlertParseResult(null, errors, null);
            }

            var redacted = SecretRedactor.Redact(root);
            CheckEveryValue(root, "", errors);
            if (errors.Count > 0)
            {
                return new AlertParseResult(null, errors, redacted);
            }

            var payload = ReadFields(root, errors);
            var failed = new HashSet<string>(errors.Select(e => e.Field), StringComparer.Ordinal);
            var validator = requireStrategy ? SignedRouteValidator : TokenRouteValidator;
            foreach (var failure in validator.Validate(payload).Errors)
            {
                if (!failed.Contains(failure.PropertyName))
                {
                    errors.Add(new AlertError(failure.PropertyName, failure.ErrorMessage));
                }
            }

            return new AlertParseResult(errors.Count == 0 ? payload : null, errors, redacted);
        }
    }

    private static AlertPayload ReadFields(JsonElement root, List<AlertError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new AlertFieldReader(errors);
        var payload = new AlertPayload();
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name.Trim().ToLowerInvariant();
            if (!seen.Add(name))
            {
                errors.Add(new AlertError(name, $"The key \"{name}\" appears more than once; keep one."));
                continue;
            }

            var value = property.Value;
            payload = name switch
            {
                "strategy" => payload with { Strategy = reader.String(name, value) },
                "action" => payload with { Action = reader.Lower(name, value) ?? "" },
                "symbol" => payload with { Symbol = reader.String(name, value)?.ToUpperInvariant() ?? "" },
                "exchange" => payload with { Exchange = reader.String(name, value)?.ToUpperInvariant() },
                "alert_id" => payload with { AlertId = reader.String(name, value) },
                "price" => payload with { Price = reader.Decimal(name, value) },
                "quantity" => payload with { Quantity = reader.Decimal(name, value) },
                "order_type" => payload with { OrderType = reader.Lower(name, value) ?? AlertOrderTypes.Market },
                "limit_price" => payload with { LimitPrice = reader.Decimal(name, value) },
                "stop_price" => payload with { StopPrice = reader.Decimal(name, value) },
                "time_in_force" => payload with { TimeInForce = reader.Lower(name, value) ?? AlertTimeInForce.Gtc },
                "take_profit" => payload with { TakeProfit = reader.Decimal(name, value) },
                "stop_loss" => payload with { StopLoss = reader.Decimal(name, value) },
                "market_position" => payload with { MarketPosition = reader.Lower(name, value) },
                "prev_market_position" => payload with { PrevMarketPosition = reader.Lower(name, value) },
                "position_size" => payload with { PositionSize = reader.Decimal(name, value) },
                "timeframe" => payload with { Timeframe = reader.String(name, value) },
                "time" => payload with { Time = reader.String(name, value) },
                "message" => payload with { Message = reader.String(name, value) },
                "account" => payload with { Account = reader.String(name, value) },
                _ => payload,
            };
        }

        return payload;
    }

    /// <summary>
    /// Refuses what would make the stored alert fail after its 202 (PostgreSQL refuses NUL and
    /// unpaired surrogates, and numbers beyond its exponent range), wherever it sits — also in the
    /// sender's own extra fields, which are stored with the alert.
    /// </summary>
    private static void CheckEveryValue(JsonElement element, string path, List<AlertError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = StorableText.ReadName(property, out var nameProblem);
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    if (nameProblem is not null)
                    {
                        errors.Add(new AlertError(field, $"The key \"{field}\" {nameProblem}."));
                        continue;
                    }

                    CheckEveryValue(property.Value, field, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckEveryValue(item, $"{path}[{index++}]", errors);
                }

                break;
            case JsonValueKind.String:
                StorableText.Read(element, out var problem);
                if (problem is not null)
                {
                    errors.Add(new AlertError(path, $"\"{path}\" {problem}."));
                }

                break;
            case JsonValueKind.Number when !AlertNumbers.IsStorable(element.GetRawText()):
                errors.Add(new AlertError(path, $"\"{path}\" is out of range: numbers must fit a decimal (at most 28 digits, exponent within ±28)."));
                break;
        }
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> body) => body.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array ([...]); send one alert per request",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
