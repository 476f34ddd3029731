using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// <c>/api/v1/strategies</c>: the registry. POST creates (missing fields take their defaults), PUT
/// replaces the whole definition (every field required), PATCH changes some fields (JSON merge patch).
/// The webhook token is shown only when it is made (create, rotate-token); only its SHA-256 is stored.
/// </summary>
/// <remarks>
/// Here the routes and the handlers that read, delete, enable and rotate; <c>StrategiesApi.Definitions.cs</c> writes
/// definitions (POST, PUT, PATCH); <c>StrategiesApi.Validation.cs</c> reads and checks bodies and words the answers.
/// </remarks>
public static partial class StrategiesApi
{
    private const string Example = "{\"name\":\"rsi-btc\",\"routes\":[{\"broker\":\"paper\",\"account\":\"paper-1\"}],\"sizing\":{\"mode\":\"fixed\",\"quantity\":1}}";
    private const string PatchExample = "{\"max_order_notional\":5000,\"trading_window\":null}";

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
}
