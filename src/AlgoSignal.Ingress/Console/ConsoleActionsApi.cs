using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Actions the console offers that become alerts: a test alert for a paper strategy, and closing a
/// position. Both go through the durable path of the webhook (<see cref="ConsoleAlerts"/>), so each has
/// an alert id and a story.
/// </summary>
public static class ConsoleActionsApi
{
    private const string CloseExample = "{\"strategy\":\"demo\",\"symbol\":\"BINANCE:BTCUSDT\"}";
    private const string TestExample = "{\"action\":\"buy\",\"symbol\":\"BINANCE:BTCUSDT\",\"price\":100,\"quantity\":1}";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    public static IEndpointRouteBuilder MapConsoleActionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Console").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>();
        group.MapPost("/strategies/{name}/test-alert", SendTestAlertAsync).WithName("SendTestAlert").WithJsonBody<TestAlertRequest>("application/json")
            .Produces<QueuedAlert>(StatusCodes.Status202Accepted)
            .WithManagementProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithDescription("Queues a test alert for a paper strategy through the webhook's durable path (source console); a strategy routed live is refused with 409. The body is optional: " + TestExample);
        group.MapPost("/positions/close", ClosePositionAsync).WithName("ClosePosition").WithJsonBody<ClosePositionRequest>("application/json")
            .Produces<QueuedAlert>(StatusCodes.Status202Accepted)
            .WithManagementProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithDescription("Queues a close alert for the strategy's open position in the symbol through the webhook's durable path (source console).");
        return app;
    }

    public static async Task<IResult> SendTestAlertAsync(
        string name, HttpContext http, AlgoSignalDbContext db, ConsoleAlerts alerts, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        if (http.Request.ContentLength > 0 || (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count > 0))
        {
            var (document, invalid, problem) = await JsonBody.ReadAsync(http.Request, DocumentOptions, TestExample, cancellationToken);
            if (document is null)
            {
                return invalid is not null ? invalid : problem!;
            }

            using (document)
            {
                var errors = CheckTestAlert(document.RootElement);
                if (errors.Count > 0)
                {
                    return JsonBody.Invalid(errors);
                }

                body = JsonNode.Parse(document.RootElement.GetRawText())!.AsObject();
            }
        }

        var strategy = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (strategy is null)
        {
            return TypedResults.Problem(detail: $"No strategy named \"{name}\".", statusCode: StatusCodes.Status404NotFound);
        }

        if (strategy.Mode == StrategyModes.Live)
        {
            return TypedResults.Problem(
                title: "Live strategy",
                detail: $"\"{name}\" routes to live brokers: a test alert would place a real order. Test alerts are for paper strategies; send one through the webhook if you mean it.",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (!strategy.Enabled)
        {
            return TypedResults.Problem(title: "Strategy disabled", detail: $"\"{name}\" is disabled and would reject the alert; enable it first.", statusCode: StatusCodes.Status409Conflict);
        }

        if (body["symbol"] is null)
        {
            var definition = JsonSerializer.Deserialize<StrategyDefinition>(strategy.Definition, JsonDefaults.SnakeCase)!;
            if (definition.Symbols.Count == 0)
            {
                return JsonBody.Invalid("symbol", $"\"{name}\" accepts any symbol: name one, e.g. {TestExample}.");
            }

            body["symbol"] = definition.Symbols[0];
        }

        body["action"] ??= AlertActions.Buy;
        body["message"] ??= "test alert from the console";
        return await alerts.QueueAsync(http, name, body, cancellationToken);
    }

    public static async Task<IResult> ClosePositionAsync(HttpContext http, AlgoSignalDbContext db, ConsoleAlerts alerts, CancellationToken cancellationToken)
    {
        var (document, invalid, problem) = await JsonBody.ReadAsync(http.Request, DocumentOptions, CloseExample, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        string name;
        string symbol;
        using (document)
        {
            var root = document.RootElement;
            var errors = StoredText.ProblemsIn(root).ToList();
            if (errors.Count == 0 && root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(("body", $"Send a JSON object such as {CloseExample}."));
            }

            if (errors.Count == 0)
            {
                foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("strategy" or "symbol")))
                {
                    var shown = property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name;
                    errors.Add((shown, $"\"{shown}\" is not a field of this request; send {CloseExample}."));
                }

                foreach (var field in new[] { "strategy", "symbol" })
                {
                    if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                    {
                        errors.Add((field, $"\"{field}\" is required, e.g. {CloseExample}."));
                    }
                }
            }

            if (errors.Count > 0)
            {
                return JsonBody.Invalid(errors);
            }

            name = root.GetProperty("strategy").GetString()!;
            symbol = root.GetProperty("symbol").GetString()!.Trim();
        }

        var strategy = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (strategy is null)
        {
            return TypedResults.Problem(detail: $"No strategy named \"{name}\".", statusCode: StatusCodes.Status404NotFound);
        }

        var accounts = JsonSerializer.Deserialize<StrategyDefinition>(strategy.Definition, JsonDefaults.SnakeCase)!.Routes.Select(r => r.Account).ToList();
        var ticker = symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol;
        var open = await db.Positions.AsNoTracking()
            .Where(p => accounts.Contains(p.Account) && (p.Symbol == symbol || p.Symbol == ticker) && p.Quantity != 0m)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return TypedResults.Problem(
                title: "Nothing to close",
                detail: $"\"{name}\" has no open position in {symbol} (accounts: {string.Join(", ", accounts)}).",
                statusCode: StatusCodes.Status409Conflict);
        }

        var body = new JsonObject { ["action"] = "close", ["symbol"] = symbol, ["message"] = "position closed from the console" };
        if (open.Select(p => p.LastPrice).FirstOrDefault(p => p is not null) is { } last)
        {
            // The paper venue fills a market order at the alert's price; the last one it saw is the fairest.
            body["price"] = last;
        }

        return await alerts.QueueAsync(http, name, body, cancellationToken);
    }

    private static List<(string Field, string Message)> CheckTestAlert(JsonElement root)
    {
        var errors = StoredText.ProblemsIn(root).ToList();
        if (errors.Count > 0)
        {
            return errors;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return [("body", $"Send a JSON object such as {TestExample}, or no body.")];
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "action" or "symbol" when property.Value.ValueKind != JsonValueKind.String:
                    errors.Add((property.Name, $"\"{property.Name}\" must be a string."));
                    break;
                case "price" or "quantity" when property.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String):
                    errors.Add((property.Name, $"\"{property.Name}\" must be a number."));
                    break;
                case "action" or "symbol" or "price" or "quantity":
                    break;
                default:
                    var shown = property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name;
                    errors.Add((shown, $"\"{shown}\" is not a field of a test alert; send {TestExample}."));
                    break;
            }
        }

        return errors;
    }
}
