using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>/api/v1/kill-switch</c>: stop every new order at once (exits may still pass: <c>Trading:KillSwitchAllowsExits</c>).</summary>
public static class KillSwitchApi
{
    public static IEndpointRouteBuilder MapKillSwitchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/kill-switch").WithTags("Risk").AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/", GetAsync).WithName("GetKillSwitch");
        group.MapPost("/", SetAsync).WithName("SetKillSwitch");
        return app;
    }

    public static async Task<Ok<KillSwitchView>> GetAsync(AlgoSignalDbContext db, AlgoSignalMetrics metrics, CancellationToken cancellationToken)
    {
        var row = await db.KillSwitch.AsNoTracking().SingleAsync(k => k.Id == 1, cancellationToken);
        metrics.KillSwitch(row.Enabled);
        return TypedResults.Ok(new KillSwitchView(row.Enabled, row.Reason, row.UpdatedAt));
    }

    public static async Task<Results<Ok<KillSwitchView>, ProblemHttpResult>> SetAsync(KillSwitchRequest? request, AlgoSignalDbContext db, TimeProvider time, AlgoSignalMetrics metrics, CancellationToken cancellationToken)
    {
        if (request?.Enabled is not { } enabled)
        {
            return TypedResults.Problem(detail: "Send {\"enabled\": true|false, \"reason\": \"…\"}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var row = await db.KillSwitch.SingleAsync(k => k.Id == 1, cancellationToken);
        row.Enabled = enabled;
        row.Reason = request.Reason is { Length: > 500 } text ? text[..500] : request.Reason;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        metrics.KillSwitch(row.Enabled);
        return TypedResults.Ok(new KillSwitchView(row.Enabled, row.Reason, row.UpdatedAt));
    }
}
