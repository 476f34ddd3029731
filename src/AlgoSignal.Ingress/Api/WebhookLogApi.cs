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

    public static async Task<Results<Ok<List<WebhookLogView>>, ValidationProblem>> ListAsync(
        AlgoSignalDbContext db, string? status, string? route, [FromQuery(Name = "source_ip")] string? sourceIp, [FromQuery(Name = "alert_id")] string? alertId, string? limit, CancellationToken cancellationToken)
    {
        if (!ListLimit.TryRead(limit, out var take, out var badLimit))
        {
            return badLimit!;
        }

        int? statusCode = null;
        if (!string.IsNullOrEmpty(status) && !TryStatus(status, out statusCode))
        {
            return JsonBody.Invalid("status", "The query parameter \"status\" must be an HTTP status such as 400.");
        }

        Guid? alert = null;
        if (!string.IsNullOrEmpty(alertId) && !TryAlertId(alertId, out alert))
        {
            return JsonBody.Invalid("alert_id", "The query parameter \"alert_id\" must be AlgoSignal's alert id, a UUID such as 01a1fca0-653e-7277-aeeb-82c42b14a458.");
        }

        var query = db.WebhookLog.AsNoTracking();
        if (statusCode is { } s)
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

        if (alert is { } id)
        {
            query = query.Where(e => e.AlertId == id);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(e => new WebhookLogView(
            e.Id, e.ReceivedAt, e.Route, e.SourceIp, e.Status, e.Reason, e.AlertId, e.Strategy, e.Count,
            e.Payload is null ? null : JsonDocument.Parse(e.Payload).RootElement.Clone())).ToList());
    }

    private static bool TryStatus(string text, out int? value)
    {
        var ok = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }

    private static bool TryAlertId(string text, out Guid? value)
    {
        var ok = Guid.TryParse(text, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }
}
