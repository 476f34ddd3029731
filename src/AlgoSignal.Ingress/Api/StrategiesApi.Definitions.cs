using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

// Writing a definition: create, replace (PUT) and merge-patch, each read and checked in full before it is stored.
public static partial class StrategiesApi
{
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
}
