using AlgoSignal.Domain.Orders;
using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
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
        AlgoSignalDbContext db, string? status, string? strategy, string? symbol, string? from, string? to, string? limit, CancellationToken cancellationToken)
    {
        if (!ListLimit.TryRead(limit, out var take, out var badLimit))
        {
            return badLimit!;
        }

        if (!QueryTime.TryRead("from", from, out var since, out var badTime) || !QueryTime.TryRead("to", to, out var until, out badTime))
        {
            return badTime!;
        }

        if (since is not null && until is not null && since > until)
        {
            return JsonBody.Invalid("from", $"\"from\" ({since:O}) is after \"to\" ({until:O}).");
        }

        if (symbol is { Length: > MaxSymbolLength })
        {
            return JsonBody.Invalid("symbol", $"The query parameter \"symbol\" is at most {MaxSymbolLength} characters.");
        }

        // The symbol lives in the stored payload (jsonb): "BTCUSDT" matches it on any exchange, "BINANCE:BTCUSDT"
        // only there, either way case-insensitively, as the risk rule symbol_allowed matches symbols. Both first
        // narrow by the symbol without its exchange, which the index ix_alerts_bare_symbol (migration 0016) serves;
        // "EXCH:SYM" narrows to SYM, or to SYM's own last part when the stored symbol carries a prefix as well.
        var bare = symbol?[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var query = string.IsNullOrEmpty(symbol)
            ? db.Alerts.AsNoTracking()
            : symbol.Contains(':', StringComparison.Ordinal)
                ? db.Alerts.FromSql($"SELECT * FROM alerts WHERE upper(regexp_replace(payload->>'symbol', '^[^:]*:', '')) IN (upper({bare}), upper(regexp_replace({bare}, '^[^:]*:', ''))) AND (upper(payload->>'symbol') = upper({symbol}) OR upper((payload->>'exchange') || ':' || (payload->>'symbol')) = upper({symbol}))").AsNoTracking()
                : db.Alerts.FromSql($"SELECT * FROM alerts WHERE upper(regexp_replace(payload->>'symbol', '^[^:]*:', '')) = upper({symbol})").AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(a => a.Status == status);
        }

        if (!string.IsNullOrEmpty(strategy))
        {
            query = query.Where(a => a.Strategy == strategy);
        }

        if (since is { } sinceValue)
        {
            query = query.Where(a => a.ReceivedAt >= sinceValue);
        }

        if (until is { } untilValue)
        {
            query = query.Where(a => a.ReceivedAt <= untilValue);
        }

        var rows = await query.OrderByDescending(a => a.ReceivedAt).Take(take)
            .Select(a => new AlertSummary(a.AlertId, a.Strategy, a.Status, a.Reason, a.DuplicateOf, a.Source, a.ReceivedAt, null))
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return TypedResults.Ok(rows);
        }

        var ids = rows.Select(r => r.AlertId).ToArray();
        var symbols = await db.Database
            .SqlQuery<AlertSymbol>($"SELECT alert_id AS \"AlertId\", payload->>'symbol' AS \"Symbol\" FROM alerts WHERE alert_id = ANY({ids})")
            .ToDictionaryAsync(s => s.AlertId, s => s.Symbol, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r with { Symbol = symbols.GetValueOrDefault(r.AlertId) }).ToList());
    }

    private const int MaxSymbolLength = 100;

    private sealed record AlertSymbol(Guid AlertId, string? Symbol);

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

        var decisions = await db.RiskDecisions.AsNoTracking().Where(r => r.AlertId == alertKey).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var risk = decisions.OrderByDescending(r => r.Decision != AlertStoryDetails.Approved).ThenByDescending(r => r.Id).FirstOrDefault();
        var orders = await db.Orders.AsNoTracking().Include(o => o.Events).Where(o => o.AlertId == alertKey)
            .OrderBy(o => o.Id).ToListAsync(cancellationToken);

        // The accepted request's row in the webhook log names the route; it carries the alert's receipt time,
        // so the time index finds it without a scan.
        var receivedFrom = alert.ReceivedAt.AddSeconds(-5);
        var receivedTo = alert.ReceivedAt.AddSeconds(5);
        var route = await db.WebhookLog.AsNoTracking()
            .Where(w => w.ReceivedAt >= receivedFrom && w.ReceivedAt <= receivedTo && w.AlertId == alertKey)
            .Select(w => w.Route).FirstOrDefaultAsync(cancellationToken);

        var strategyRow = alert.Strategy is null ? null : await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == alert.Strategy, cancellationToken);
        var strategy = strategyRow is null ? null : ReadStrategy(strategyRow);
        var decidedAt = decisions.Count == 0 ? (DateTimeOffset?)null : decisions.Min(d => d.CreatedAt);
        var changedSince = strategyRow is not null && decidedAt is { } decided && strategyRow.UpdatedAt > decided;

        var keys = orders.Select(o => new { o.Broker, o.Account, o.Symbol }).Distinct().ToList();
        var positions = new List<PositionView>();
        foreach (var key in keys)
        {
            var position = await db.Positions.AsNoTracking()
                .FirstOrDefaultAsync(p => p.Broker == key.Broker && p.Account == key.Account && p.Symbol == key.Symbol, cancellationToken);
            if (position is not null)
            {
                positions.Add(TradingApi.ToView(position));
            }
        }

        var payload = Parse(alert.Payload);
        var entry = orders.FirstOrDefault(o => o.Intent == OrderIntents.Entry && o.Role == OrderRoles.Main);
        var notional = entry is not null && AlertStoryDetails.Number(payload, "price") is { } price ? entry.Quantity * price : (decimal?)null;
        var story = ToStory(alert, payload, risk, orders) with
        {
            Symbol = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("symbol", out var symbol) && symbol.ValueKind == JsonValueKind.String ? symbol.GetString() : null,
            Route = route,
            DecidedAt = decidedAt,
            Risk = risk is null ? null : new RiskView(risk.Decision, risk.Rule, risk.Reason, risk.CreatedAt,
                AlertStoryDetails.Rules(risk, changedSince ? null : strategy, notional)),
            Sizing = AlertStoryDetails.Sizing(payload, entry, strategy, changedSince),
            Positions = positions.Count == 0 ? null : positions,
        };
        return TypedResults.Ok(story);
    }

    private static StrategyDefinition? ReadStrategy(StrategyEntity row)
    {
        try
        {
            return JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase);
        }
        catch (JsonException)
        {
            // A definition stored before today's validation may not read back; the story then goes without it.
            return null;
        }
    }

    private static AlertStory ToStory(AlertEntity alert, JsonElement payload, RiskDecisionEntity? risk, List<OrderEntity> orders) => new(
        alert.AlertId,
        alert.Strategy,
        alert.Status,
        alert.Reason,
        alert.DuplicateOf,
        alert.Source,
        alert.SourceIp,
        alert.ReceivedAt,
        alert.UpdatedAt,
        payload,
        alert.Signal is null ? null : Parse(alert.Signal),
        risk is null ? null : new RiskView(risk.Decision, risk.Rule, risk.Reason),
        orders.Select(ToView).ToList());

    public static OrderView ToView(OrderEntity o) => new(
        o.Broker, o.Account, o.ClientOrderId, o.BrokerOrderId, o.Symbol, o.Side, o.Intent, o.Role, o.Strategy, o.Quantity, o.OrderType, o.LimitPrice, o.StopPrice,
        o.TimeInForce, o.Status, o.FilledQuantity, o.AveragePrice, o.Fees, o.RealizedPnl, o.Reason, o.CreatedAt,
        o.Events.OrderBy(e => e.Id).Select(e => new OrderEventView(e.Type, e.Quantity, e.Price, e.Message, e.CreatedAt, e.FillTrigger, e.TriggerPrice, e.TriggeredAt)).ToList(), o.AlertId);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
