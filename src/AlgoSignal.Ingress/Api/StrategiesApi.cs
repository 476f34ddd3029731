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

/// <summary>
/// <c>/api/v1/strategies</c>: the registry. POST creates (missing fields take their defaults), PUT
/// replaces the whole definition (every field required), PATCH changes some fields (JSON merge patch).
/// The webhook token is shown only when it is made (create, rotate-token); only its SHA-256 is stored.
/// </summary>
public static class StrategiesApi
{
    private const string Example = "{\"name\":\"rsi-btc\",\"routes\":[{\"broker\":\"paper\",\"account\":\"paper-1\"}],\"sizing\":{\"mode\":\"fixed\",\"quantity\":1}}";
    private const string PatchExample = "{\"max_order_notional\":5000,\"trading_window\":null}";

    private static readonly StrategyDefinitionValidator Validator = new();

    public static IEndpointRouteBuilder MapStrategiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/strategies").WithTags("Strategies")
            .AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>();
        group.MapGet("/", ListAsync).WithName("ListStrategies").WithManagementProblems();
        group.MapPost("/", CreateAsync).WithName("CreateStrategy")
            .WithJsonBody<StrategyDefinition>("application/json").WithManagementProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .WithDescription("Creates a strategy; missing fields take their defaults. The answer shows webhook_token and webhook_url this once.");
        group.MapGet("/{name}", GetAsync).WithName("GetStrategy").WithManagementProblems(StatusCodes.Status404NotFound);
        group.MapPut("/{name}", UpdateAsync).WithName("UpdateStrategy")
            .WithJsonBody<StrategyDefinition>("application/json")
            .WithManagementProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .WithDescription("Replaces the whole definition: every field is required (the limits as null where there is none). "
                + "A change that removes a route with open positions is refused (409) unless ?force=true.");
        group.MapPatch("/{name}", PatchAsync).WithName("PatchStrategy")
            .WithJsonBody<StrategyDefinition>(JsonMergePatch.MediaType, "application/json")
            .WithManagementProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .WithDescription("Changes the fields given (JSON merge patch, RFC 7396): null removes a limit, a list replaces the list. "
                + "A change that removes a route with open positions is refused (409) unless ?force=true.");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteStrategy").WithManagementProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{name}/enable", (string name, AlgoSignalDbContext db, TimeProvider time, CancellationToken ct) => SetEnabledAsync(name, true, db, time, ct))
            .WithName("EnableStrategy").WithManagementProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{name}/disable", (string name, AlgoSignalDbContext db, TimeProvider time, CancellationToken ct) => SetEnabledAsync(name, false, db, time, ct))
            .WithName("DisableStrategy").WithManagementProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{name}/rotate-token", RotateTokenAsync).WithName("RotateStrategyToken").WithManagementProblems(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<List<StrategyView>>> ListAsync(AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Strategies.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);

        // A definition written to the database by hand that no longer reads as a strategy must not hide all the others;
        // its own alerts end rejected with the reason, and GET /strategies/{name} names the problem.
        return TypedResults.Ok(rows.Select(TryView).OfType<StrategyView>().ToList());
    }

    public static async Task<Results<Ok<StrategyView>, ProblemHttpResult>> GetAsync(string name, AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            return NotFound(name);
        }

        return TryView(row) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem(
                detail: $"The stored definition of strategy \"{name}\" cannot be read as a strategy (it was changed outside the API); PUT a whole definition to replace it.",
                statusCode: StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Created<StrategyView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, AlgoSignalDbContext db, TimeProvider time, StrategyTokens tokens, PublicBaseUrl publicBaseUrl, CancellationToken cancellationToken)
    {
        var (document, invalid, problem) = await JsonBody.ReadAsync(request, StrategyJson.DocumentOptions, Example, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        StrategyDefinition definition;
        using (document)
        {
            var read = Read(document.RootElement, whole: false);
            if (read.Invalid is not null)
            {
                return read.Invalid;
            }

            definition = read.Definition!;
        }

        if (await db.Strategies.AnyAsync(s => s.Name == definition.Name, cancellationToken))
        {
            return Exists(definition.Name);
        }

        var token = NewToken();
        var now = time.GetUtcNow();
        var row = new StrategyEntity
        {
            Name = definition.Name,
            Enabled = definition.Enabled,
            Mode = definition.Mode,
            Definition = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase),
            WebhookTokenHash = StrategySeeder.HashToken(token),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Strategies.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Exists(definition.Name);
        }

        await tokens.RefreshAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/strategies/{row.Name}", View(row) with { WebhookToken = token, WebhookUrl = WebhookUrl(publicBaseUrl, token) });
    }

    public static async Task<Results<Ok<StrategyView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        string name, HttpRequest request, string? force, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryForce(force, out var forced, out var badForce))
        {
            return badForce!;
        }

        var (document, invalid, problem) = await JsonBody.ReadAsync(request, StrategyJson.DocumentOptions, Example, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        StrategyDefinition definition;
        using (document)
        {
            var read = Read(document.RootElement, whole: true);
            if (read.Invalid is not null)
            {
                return read.Invalid;
            }

            definition = read.Definition!;
        }

        var row = await db.Strategies.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        return row is null ? NotFound(name) : await ReplaceAsync(row, definition, forced, db, time, cancellationToken);
    }

    public static async Task<Results<Ok<StrategyView>, ProblemHttpResult, ValidationProblem>> PatchAsync(
        string name, HttpRequest request, string? force, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsMergePatch(request.ContentType))
        {
            // The sent type is not repeated: it is the client's text, and this answer may be shown or logged.
            return TypedResults.Problem(
                detail: $"PATCH takes a JSON merge patch (RFC 7396): send Content-Type {JsonMergePatch.MediaType} (or application/json) and the fields to change, e.g. {PatchExample}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (!TryForce(force, out var forced, out var badForce))
        {
            return badForce!;
        }

        var (document, invalid, problem) = await JsonBody.ReadAsync(request, StrategyJson.DocumentOptions, PatchExample, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        using (document)
        {
            var patch = document.RootElement;
            var errors = StoredText.ProblemsIn(patch).ToList();
            if (errors.Count == 0 && patch.ValueKind != JsonValueKind.Object)
            {
                errors.Add(("body", $"A merge patch is a JSON object of the fields to change, e.g. {PatchExample}."));
            }

            if (errors.Count == 0)
            {
                errors.AddRange(patch.EnumerateObject()
                    .Where(p => StrategyJson.ReadOnlyFields.Contains(p.Name) || (p.Value.ValueKind == JsonValueKind.Null && StrategyJson.FieldNames.Contains(p.Name) && !StrategyJson.IsNullable(p.Name)))
                    .Select(p => (p.Name, StrategyJson.ReadOnlyFields.Contains(p.Name)
                        ? $"\"{p.Name}\" is read-only; leave it out."
                        : $"\"{p.Name}\" cannot be removed (null removes a field in a merge patch); give its new value instead.")));
            }

            if (errors.Count > 0)
            {
                return JsonBody.Invalid(errors);
            }

            var row = await db.Strategies.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
            if (row is null)
            {
                return NotFound(name);
            }

            var merged = JsonMergePatch.Apply(JsonSerializer.SerializeToNode(Load(row), JsonDefaults.SnakeCase), patch)!.AsObject();
            foreach (var field in StrategyJson.FieldNames.Where(f => StrategyJson.IsNullable(f) && !merged.ContainsKey(f)))
            {
                // Null removes a member in a merge patch; for a limit, removed means "no limit".
                merged[field] = null;
            }

            var read = Read(JsonSerializer.SerializeToElement(merged), whole: true);
            return read.Invalid is not null ? read.Invalid : await ReplaceAsync(row, read.Definition!, forced, db, time, cancellationToken);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, AlgoSignalDbContext db, StrategyTokens tokens, CancellationToken cancellationToken)
    {
        var deleted = await db.Strategies.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return NotFound(name);
        }

        await tokens.RefreshAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<StrategyView>, ProblemHttpResult>> SetEnabledAsync(string name, bool enabled, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var row = await db.Strategies.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            return NotFound(name);
        }

        var definition = JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase)! with { Enabled = enabled };
        row.Enabled = enabled;
        row.Definition = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(row));
    }

    public static async Task<Results<Ok<RotatedToken>, ProblemHttpResult>> RotateTokenAsync(
        string name, AlgoSignalDbContext db, TimeProvider time, StrategyTokens tokens, PublicBaseUrl publicBaseUrl, CancellationToken cancellationToken)
    {
        var row = await db.Strategies.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            return NotFound(name);
        }

        var token = NewToken();
        row.WebhookTokenHash = StrategySeeder.HashToken(token);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await tokens.RefreshAsync(cancellationToken);
        return TypedResults.Ok(new RotatedToken(name, token, WebhookUrl(publicBaseUrl, token)));
    }

    private static async Task<Results<Ok<StrategyView>, ProblemHttpResult, ValidationProblem>> ReplaceAsync(
        StrategyEntity row, StrategyDefinition definition, bool force, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (definition.Name != row.Name)
        {
            return JsonBody.Invalid("name", $"The body's name \"{definition.Name}\" differs from the URL's \"{row.Name}\"; a strategy cannot be renamed.");
        }

        if (!force && await RouteChangeRefusalAsync(Load(row), definition, db, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        row.Enabled = definition.Enabled;
        row.Mode = definition.Mode;
        row.Definition = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(row));
    }

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
