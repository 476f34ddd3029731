using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

// Reading and checking a body, the refusal of a route change that would strand positions, and the answers' shapes.
public static partial class StrategiesApi
{
    private static readonly StrategyDefinitionValidator Validator = new();

    /// <summary>
    /// A route that goes away while this strategy holds a position on it would strand the position: the
    /// strategy's later exits go to the new route and never close it. Positions count as the strategy's
    /// when it has ordered that symbol on that broker account.
    /// </summary>
    private static async Task<ProblemHttpResult?> RouteChangeRefusalAsync(StrategyDefinition before, StrategyDefinition after, AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var removed = before.Routes.Except(after.Routes).ToList();
        if (removed.Count == 0)
        {
            return null;
        }

        var name = before.Name;
        var accounts = removed.Select(r => r.Account).Distinct().ToList();
        var candidates = await db.Positions.AsNoTracking()
            .Where(p => p.Quantity != 0m && accounts.Contains(p.Account)
                && db.Orders.Any(o => o.Strategy == name && o.Broker == p.Broker && o.Account == p.Account && o.Symbol == p.Symbol))
            .OrderBy(p => p.Account).ThenBy(p => p.Symbol).Take(50).ToListAsync(cancellationToken);
        var open = candidates.Where(p => removed.Contains(new StrategyRoute(p.Broker, p.Account))).ToList();
        if (open.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", open.Select(p => $"{p.Symbol} {p.Quantity.ToString(CultureInfo.InvariantCulture)} on {p.Broker}/{p.Account}"));
        return TypedResults.Problem(
            title: "Conflict",
            detail: $"Strategy \"{name}\" has open positions on the route(s) this change removes: {list}. Close them first, or repeat the request with "
                + "?force=true to change the route anyway; the positions then stay on the old account and this strategy's later alerts no longer reach them.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>
            {
                ["open_positions"] = open.Select(p => new Dictionary<string, object> { ["broker"] = p.Broker, ["account"] = p.Account, ["symbol"] = p.Symbol, ["quantity"] = p.Quantity }).ToList(),
            });
    }

    /// <summary>Checks the shape, reads the definition (read-only fields dropped) and applies the strategy rules.</summary>
    private static (StrategyDefinition? Definition, ValidationProblem? Invalid) Read(JsonElement root, bool whole)
    {
        var shape = StrategyJson.Check(root, whole);
        if (shape.Count > 0)
        {
            return (null, JsonBody.Invalid(shape.Select(e => (e.Field, e.Message)), "The strategy has invalid fields; every one is listed."));
        }

        var body = JsonNode.Parse(root.GetRawText())!.AsObject();
        foreach (var field in StrategyJson.ReadOnlyFields)
        {
            body.Remove(field);
        }

        StrategyDefinition definition;
        try
        {
            definition = body.Deserialize<StrategyDefinition>(JsonDefaults.Strict)!;
        }
        catch (JsonException ex)
        {
            // The shape check leaves nothing the reader refuses; should one slip through, name the field, not the reader's type.
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "body";
            return (null, JsonBody.Invalid(field, $"\"{field}\" has a value that cannot be read; see the strategy fields in the README."));
        }

        var result = Validator.Validate(definition);
        return result.IsValid
            ? (definition, null)
            : (null, JsonBody.Invalid(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), "The strategy has invalid fields; every one is listed."));
    }

    private static bool TryForce(string? value, out bool force, out ValidationProblem? invalid)
    {
        invalid = null;
        force = false;
        if (value is null || bool.TryParse(value, out force))
        {
            return true;
        }

        invalid = JsonBody.Invalid("force", "The query parameter \"force\" must be true or false.");
        return false;
    }

    private static bool IsMergePatch(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (string.Equals(parsed.MediaType, JsonMergePatch.MediaType, StringComparison.OrdinalIgnoreCase) || string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase));

    private static StrategyDefinition Load(StrategyEntity row) =>
        JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase)! with { Name = row.Name, Enabled = row.Enabled, Mode = row.Mode };

    private static StrategyView? TryView(StrategyEntity row)
    {
        try
        {
            return View(row);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StrategyView View(StrategyEntity row) => StrategyView.Of(Load(row), row.WebhookTokenHash is not null, row.CreatedAt, row.UpdatedAt);

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string WebhookUrl(PublicBaseUrl publicBaseUrl, string token) => $"{publicBaseUrl.Value}{TokenPathRedaction.Prefix}{token}";

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"No strategy named \"{name}\".", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Exists(string name) =>
        TypedResults.Problem(detail: $"Strategy \"{name}\" already exists; use PUT or PATCH to change it.", statusCode: StatusCodes.Status409Conflict);
}
