using System.Text.Json;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>/api/v1/alerts</c>: what happened to each alert, and why.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/alerts").WithTags("Alerts").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>();
        group.MapGet("/", ListAsync).WithName("ListAlerts").WithManagementProblems();
        group.MapGet("/{alertId}", GetAsync).WithName("GetAlert").WithManagementProblems(StatusCodes.Status404NotFound)
            .WithDescription("The alert's story by AlgoSignal's id (the alert_id of the 202 answer) or by the sender's own alert_id (the latest alert that carried it).");
        return app;
    }

    public static async Task<Results<Ok<List<AlertSummary>>, ValidationProblem>> ListAsync(
        AlgoSignalDbContext db, string? status, string? strategy, string? limit, CancellationToken cancellationToken)
    {
        if (!ListLimit.TryRead(limit, out var take, out var badLimit))
        {
            return badLimit!;
        }

        var query = db.Alerts.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(a => a.Status == status);
        }

        if (!string.IsNullOrEmpty(strategy))
        {
            query = query.Where(a => a.Strategy == strategy);
        }

        var rows = await query.OrderByDescending(a => a.ReceivedAt).Take(take)
            .Select(a => new AlertSummary(a.AlertId, a.Strategy, a.Status, a.Reason, a.DuplicateOf, a.Source, a.ReceivedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    public static async Task<Results<Ok<AlertStory>, ProblemHttpResult>> GetAsync(string alertId, AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var alert = Guid.TryParse(alertId, out var id) ? await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.AlertId == id, cancellationToken) : null;

        // A sender's id may repeat (a resend becomes a duplicate naming the first): the latest tells the newest outcome.
        alert ??= await db.Alerts.AsNoTracking().Where(a => a.SenderAlertId == alertId)
            .OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.AlertId).FirstOrDefaultAsync(cancellationToken);
        if (alert is null)
        {
            var shown = alertId.Length > 80 ? alertId[..80] + "…" : alertId;
            return TypedResults.Problem(
                detail: $"No alert \"{shown}\" is stored. This route accepts AlgoSignal's id (the alert_id of the 202 answer, a UUID) or the sender's own "
                    + "alert_id from the alert's body (the latest alert that carried it). An alert answered 202 is stored within moments; if it stays missing, check the worker.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var alertKey = alert.AlertId;

        var risk = await db.RiskDecisions.AsNoTracking().Where(r => r.AlertId == alertKey)
            .OrderByDescending(r => r.Decision == "rejected").ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Events).Where(o => o.AlertId == alertKey)
            .OrderBy(o => o.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ToStory(alert, risk, orders));
    }

    private static AlertStory ToStory(AlertEntity alert, RiskDecisionEntity? risk, List<OrderEntity> orders) => new(
        alert.AlertId,
        alert.Strategy,
        alert.Status,
        alert.Reason,
        alert.DuplicateOf,
        alert.Source,
        alert.SourceIp,
        alert.ReceivedAt,
        alert.UpdatedAt,
        Parse(alert.Payload),
        alert.Signal is null ? null : Parse(alert.Signal),
        risk is null ? null : new RiskView(risk.Decision, risk.Rule, risk.Reason),
        orders.Select(ToView).ToList());

    public static OrderView ToView(OrderEntity o) => new(
        o.Broker, o.Account, o.ClientOrderId, o.BrokerOrderId, o.Symbol, o.Side, o.Intent, o.Role, o.Strategy, o.Quantity, o.OrderType, o.LimitPrice, o.StopPrice,
        o.TimeInForce, o.Status, o.FilledQuantity, o.AveragePrice, o.Fees, o.RealizedPnl, o.Reason, o.CreatedAt,
        o.Events.OrderBy(e => e.Id).Select(e => new OrderEventView(e.Type, e.Quantity, e.Price, e.Message, e.CreatedAt, e.FillTrigger, e.TriggerPrice, e.TriggeredAt)).ToList());

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
