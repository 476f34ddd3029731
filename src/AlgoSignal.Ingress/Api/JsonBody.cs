using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// Reads the JSON body of a management request: bounded, strict UTF-8, depth-limited. Every failure is an
/// answer in the API's problem shape that names the field (<c>body</c> for the body as a whole).
/// </summary>
public static class JsonBody
{
    /// <summary>A strategy is well under 8 KiB; the bound keeps a hostile body from costing memory.</summary>
    public const int MaxBytes = 65_536;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<(JsonDocument? Document, ValidationProblem? Invalid, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, JsonDocumentOptions options, string example, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException ex)
        {
            return (null, Invalid("body", $"The body is not valid UTF-8 (at byte {ex.Index}); send JSON as UTF-8 text."), null);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Invalid("body", $"The body is empty; send JSON such as {example}."), null);
        }

        try
        {
            return (JsonDocument.Parse(bytes, options), null, null);
        }
        catch (JsonException ex)
        {
            var depth = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $" The JSON is nested deeper than {options.MaxDepth} levels." : "";
            return (null, Invalid("body", $"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}.{depth} Send JSON such as {example}."), null);
        }
    }

    /// <summary>A 400 listing every field's problems, the shape every management route answers bad input with.</summary>
    public static ValidationProblem Invalid(IEnumerable<(string Field, string Message)> errors, string detail = "The body has invalid fields; every one is listed.") =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal),
            detail: detail);

    public static ValidationProblem Invalid(string field, string message) => Invalid([(field, message)], message);

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(detail: "The body is larger than 65,536 bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
