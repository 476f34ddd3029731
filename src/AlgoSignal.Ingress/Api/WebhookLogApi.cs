using System.Text.Json;
using AlgoSignal.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>GET /api/v1/webhook-log</c>: every request, accepted or rejected, newest first.</summary>
public static class WebhookLogApi
{
    public static IEndpointRouteBuilder MapWebhookLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/webhook-log", ListAsync).WithName("ListWebhookLog").WithTags("Webhooks")
            .AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>().WithManagementProblems();
        return app;
    }

    public static async Task<Results<Ok<List<WebhookLogView>>, ProblemHttpResult>> ListAsync(
        AlgoSignalDbContext db, int? status, string? route, [FromQuery(Name = "source_ip")] string? sourceIp, [FromQuery(Name = "alert_id")] Guid? alertId, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem(detail: "limit must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest);
        }

        var query = db.WebhookLog.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(e => e.Status == s);
        }

        if (!string.IsNullOrEmpty(route))
        {
            query = query.Where(e => e.Route == route);
        }

        if (!string.IsNullOrEmpty(sourceIp))
        {
            query = query.Where(e => e.SourceIp == sourceIp);
        }

        if (alertId is { } id)
        {
            query = query.Where(e => e.AlertId == id);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(limit ?? 100).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(e => new WebhookLogView(
            e.Id, e.ReceivedAt, e.Route, e.SourceIp, e.Status, e.Reason, e.AlertId, e.Strategy, e.Count,
            e.Payload is null ? null : JsonDocument.Parse(e.Payload).RootElement.Clone())).ToList());
    }
}
