using AlgoSignal.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>/api/v1/reconciliation</c>: what the worker found comparing each live broker with AlgoSignal's books.</summary>
public static class ReconciliationApi
{
    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Reconciliation").AddEndpointFilter<ApiKeyFilter>()
            .MapGet("/reconciliation", GetAsync).WithName("GetReconciliation");
        return app;
    }

    /// <summary>Open drifts first, then the resolved ones of the last <paramref name="limit"/> (default 100).</summary>
    public static async Task<Results<Ok<ReconciliationView>, ProblemHttpResult>> GetAsync(AlgoSignalDbContext db, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem(detail: "limit must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest);
        }

        var runs = await db.ReconciliationRuns.AsNoTracking().OrderBy(r => r.Broker)
            .Select(r => new ReconciliationRunView(r.Broker, r.RanAt, r.Outcome, r.Drifts)).ToListAsync(cancellationToken);
        var drifts = await db.ReconciliationDrifts.AsNoTracking()
            .OrderBy(d => d.ResolvedAt != null).ThenByDescending(d => d.DetectedAt).Take(limit ?? 100)
            .Select(d => new ReconciliationDriftView(d.Id, d.Broker, d.Kind, d.Symbol, d.BrokerQuantity, d.OurQuantity, d.Detail, d.DetectedAt, d.LastSeenAt, d.ResolvedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReconciliationView(runs, drifts));
    }
}
