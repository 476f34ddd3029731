using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// <c>GET /api/v1/overview</c>: what the console's first page shows — paper or live, the kill switch,
/// the backlog, the last alert, today's outcomes and the decision latency — in one answer.
/// </summary>
public static class OverviewApi
{
    public const int LatencyWindowMinutes = 60;

    /// <summary>The refusal stage of the ingress itself: webhook requests answered 4xx/5xx (the webhook log).</summary>
    public const string IngressStage = "ingress";

    private static readonly string[] RejectStatuses =
        [AlertStatuses.Rejected, AlertStatuses.RiskRejected, AlertStatuses.Duplicate, AlertStatuses.Failed, AlertStatuses.PartiallyExecuted];

    public static IEndpointRouteBuilder MapOverviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/overview", GetAsync).WithName("GetOverview").WithTags("Console").AddEndpointFilter<ApiKeyFilter>().WithManagementProblems()
            .WithDescription("Paper or live (and which strategies are live), the kill switch, alerts queued but not final, the last alert, today's (UTC) statuses, refusals by stage, fills and realized P&L, and p50/p99 from receipt to decision over the last hour.");
        return app;
    }

    public static async Task<Ok<OverviewView>> GetAsync(AlgoSignalDbContext db, TimeProvider time, KillSwitchChanges changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var hourAgo = now.AddMinutes(-LatencyWindowMinutes);

        var live = await db.Strategies.AsNoTracking().Where(s => s.Enabled && s.Mode == StrategyModes.Live).OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(cancellationToken);
        var killSwitch = await db.KillSwitch.AsNoTracking().SingleAsync(k => k.Id == 1, cancellationToken);
        var backlog = await db.Alerts.CountAsync(a => a.Status == AlertStatuses.Received, cancellationToken);
        var lastAlertAt = await db.Alerts.MaxAsync(a => (DateTimeOffset?)a.ReceivedAt, cancellationToken);
        var statuses = await db.Alerts.Where(a => a.ReceivedAt >= today).GroupBy(a => a.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var refusedAtIngress = await db.WebhookLog.Where(w => w.ReceivedAt >= today && w.Status >= 400).SumAsync(w => (int?)w.Count, cancellationToken) ?? 0;
        var fills = await db.OrderEvents.CountAsync(e => e.Type == OrderStatuses.Filled && e.CreatedAt >= today, cancellationToken);
        var realized = await db.Orders.Where(o => o.Status == OrderStatuses.Filled && o.UpdatedAt >= today).SumAsync(o => o.RealizedPnl, cancellationToken);
        var latency = await LatencyAsync(db, hourAgo, cancellationToken);

        var rejects = new Dictionary<string, int>(StringComparer.Ordinal) { [IngressStage] = refusedAtIngress };
        foreach (var status in RejectStatuses)
        {
            rejects[status] = statuses.GetValueOrDefault(status);
        }

        return TypedResults.Ok(new OverviewView(
            live.Count == 0 ? StrategyModes.Paper : StrategyModes.Live,
            live,
            new OverviewKillSwitch(killSwitch.Enabled, killSwitch.Reason, killSwitch.UpdatedAt,
                killSwitch.UpdatedBy ?? changes.WhoChangedAt(killSwitch.UpdatedAt), killSwitch.UpdatedBy),
            backlog,
            lastAlertAt,
            new OverviewToday(today, statuses.Values.Sum(), statuses, rejects, fills, realized),
            latency,
            now));
    }

    /// <summary>
    /// Receipt to decision: to the alert's first risk decision, or — for an alert refused before the risk
    /// step (unknown strategy, duplicate) — to its last update. Percentiles computed by PostgreSQL.
    /// </summary>
    private static async Task<OverviewLatency> LatencyAsync(AlgoSignalDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var row = await db.Database.SqlQuery<LatencyRow>($"""
            SELECT count(*)::int AS "Alerts",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS "P50",
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS "P99"
            FROM (
                SELECT extract(epoch FROM (coalesce(
                           (SELECT min(r.created_at) FROM risk_decisions r WHERE r.alert_id = a.alert_id),
                           a.updated_at) - a.received_at)) * 1000 AS ms
                FROM alerts a
                WHERE a.received_at >= {since} AND a.status <> {AlertStatuses.Received}
            ) AS decided
            """).SingleAsync(cancellationToken);
        return new OverviewLatency(LatencyWindowMinutes, row.Alerts, row.P50 is { } p50 ? Math.Round(p50, 1) : null, row.P99 is { } p99 ? Math.Round(p99, 1) : null);
    }

    private sealed record LatencyRow(int Alerts, double? P50, double? P99);
}
