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
/// <c>/api/v1/strategies</c>: the registry (CONTRACT §3). The webhook token is shown only when it is
/// made (create, rotate-token); only its SHA-256 is stored.
/// </summary>
public static class StrategiesApi
{
    private static readonly StrategyDefinitionValidator Validator = new();

    public static IEndpointRouteBuilder MapStrategiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/strategies").WithTags("Strategies").AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/", ListAsync).WithName("ListStrategies");
        group.MapPost("/", CreateAsync).WithName("CreateStrategy");
        group.MapGet("/{name}", GetAsync).WithName("GetStrategy");
        group.MapPut("/{name}", UpdateAsync).WithName("UpdateStrategy");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteStrategy");
        group.MapPost("/{name}/enable", (string name, AlgoSignalDbContext db, TimeProvider time, CancellationToken ct) => SetEnabledAsync(name, true, db, time, ct)).WithName("EnableStrategy");
        group.MapPost("/{name}/disable", (string name, AlgoSignalDbContext db, TimeProvider time, CancellationToken ct) => SetEnabledAsync(name, false, db, time, ct)).WithName("DisableStrategy");
        group.MapPost("/{name}/rotate-token", RotateTokenAsync).WithName("RotateStrategyToken");
        return app;
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Strategies.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(string name, AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        return row is null ? NotFound(name) : TypedResults.Ok(View(row));
    }

    public static async Task<Results<Created<JsonObject>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, AlgoSignalDbContext db, TimeProvider time, StrategyTokens tokens, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var (definition, problem, invalid) = await ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (invalid is not null)
        {
            return invalid;
        }

        if (await db.Strategies.AnyAsync(s => s.Name == definition!.Name, cancellationToken))
        {
            return TypedResults.Problem(detail: $"Strategy \"{definition!.Name}\" already exists; use PUT to change it.", statusCode: StatusCodes.Status409Conflict);
        }

        var token = NewToken();
        var now = time.GetUtcNow();
        var row = new StrategyEntity
        {
            Name = definition!.Name,
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
            return TypedResults.Problem(detail: $"Strategy \"{definition.Name}\" already exists; use PUT to change it.", statusCode: StatusCodes.Status409Conflict);
        }

        await tokens.RefreshAsync(cancellationToken);
        var view = View(row);
        view["webhook_token"] = token;
        view["webhook_url"] = WebhookUrl(request, configuration, token);
        return TypedResults.Created($"/api/v1/strategies/{row.Name}", view);
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        string name, HttpRequest request, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (definition, problem, invalid) = await ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (invalid is not null)
        {
            return invalid;
        }

        if (definition!.Name != name)
        {
            return TypedResults.Problem(detail: $"The body's name \"{definition.Name}\" differs from the URL's \"{name}\"; a strategy cannot be renamed.", statusCode: StatusCodes.Status400BadRequest);
        }

        var row = await db.Strategies.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            return NotFound(name);
        }

        row.Enabled = definition.Enabled;
        row.Mode = definition.Mode;
        row.Definition = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(row));
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

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetEnabledAsync(string name, bool enabled, AlgoSignalDbContext db, TimeProvider time, CancellationToken cancellationToken)
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

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> RotateTokenAsync(
        string name, HttpRequest request, AlgoSignalDbContext db, TimeProvider time, StrategyTokens tokens, IConfiguration configuration, CancellationToken cancellationToken)
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
        return TypedResults.Ok(new JsonObject
        {
            ["name"] = name,
            ["webhook_token"] = token,
            ["webhook_url"] = WebhookUrl(request, configuration, token),
        });
    }

    private static async Task<(StrategyDefinition? Definition, ProblemHttpResult? Problem, ValidationProblem? Invalid)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        StrategyDefinition? definition;
        try
        {
            definition = await JsonSerializer.DeserializeAsync<StrategyDefinition>(request.Body, JsonDefaults.Strict, cancellationToken);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, TypedResults.Problem(detail: $"The strategy JSON is not valid{where}: {FirstSentence(ex.Message)}", statusCode: StatusCodes.Status400BadRequest), null);
        }

        if (definition is null)
        {
            return (null, TypedResults.Problem(detail: "The body must be a strategy object.", statusCode: StatusCodes.Status400BadRequest), null);
        }

        var result = Validator.Validate(definition);
        if (!result.IsValid)
        {
            var errors = result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
            return (null, null, TypedResults.ValidationProblem(errors, detail: "The strategy has invalid fields; every one is listed."));
        }

        return (definition, null, null);
    }

    private static JsonObject View(StrategyEntity row)
    {
        var definition = JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase)!;
        var view = JsonSerializer.SerializeToNode(definition with { Name = row.Name, Enabled = row.Enabled, Mode = row.Mode }, JsonDefaults.SnakeCase)!.AsObject();
        view["has_webhook_token"] = row.WebhookTokenHash is not null;
        view["created_at"] = row.CreatedAt;
        view["updated_at"] = row.UpdatedAt;
        return view;
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string WebhookUrl(HttpRequest request, IConfiguration configuration, string token)
    {
        var baseUrl = configuration["Api:PublicBaseUrl"] is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
        return $"{baseUrl}{TokenPathRedaction.Prefix}{token}";
    }

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"No strategy named \"{name}\".", statusCode: StatusCodes.Status404NotFound);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
