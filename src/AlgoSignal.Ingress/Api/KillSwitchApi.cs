using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Ingress.Console;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>/api/v1/kill-switch</c>: stop every new order at once (exits may still pass: <c>Trading:KillSwitchAllowsExits</c>).</summary>
public static class KillSwitchApi
{
    public const int MaxReasonLength = 500;

    private const string Example = "{\"enabled\":true,\"reason\":\"broker outage\"}";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    public static IEndpointRouteBuilder MapKillSwitchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/kill-switch").WithTags("Risk").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>();
        group.MapGet("/", GetAsync).WithName("GetKillSwitch").WithManagementProblems();
        group.MapPost("/", SetAsync).WithName("SetKillSwitch").WithJsonBody<KillSwitchRequest>("application/json").WithManagementProblems(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<Ok<KillSwitchView>> GetAsync(AlgoSignalDbContext db, AlgoSignalMetrics metrics, CancellationToken cancellationToken)
    {
        var row = await db.KillSwitch.AsNoTracking().SingleAsync(k => k.Id == 1, cancellationToken);
        metrics.KillSwitch(row.Enabled);
        return TypedResults.Ok(new KillSwitchView(row.Enabled, row.Reason, row.UpdatedAt, row.UpdatedBy));
    }

    public static async Task<Results<Ok<KillSwitchView>, ProblemHttpResult, ValidationProblem>> SetAsync(
        HttpRequest request, AlgoSignalDbContext db, TimeProvider time, AlgoSignalMetrics metrics, KillSwitchAnnouncer announcer, AddressRules addresses, NotificationOutbox notifications, CancellationToken cancellationToken)
    {
        var (document, invalid, problem) = await JsonBody.ReadAsync(request, DocumentOptions, Example, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        bool enabled;
        string? reason;
        using (document)
        {
            var errors = Check(document.RootElement);
            if (errors.Count > 0)
            {
                return JsonBody.Invalid(errors);
            }

            enabled = document.RootElement.GetProperty("enabled").GetBoolean();
            reason = document.RootElement.TryGetProperty("reason", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        }

        var row = await db.KillSwitch.SingleAsync(k => k.Id == 1, cancellationToken);
        row.Reason = reason;
        var changed = row.Enabled != enabled;
        row.Enabled = enabled;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = KillSwitchAnnouncer.Who(request.HttpContext, addresses);
        if (changed)
        {
            // Saved with the change itself: the notification exists exactly when the change does.
            var text = enabled ? $"Kill switch engaged: new orders are stopped.{(reason is null ? "" : " " + reason)}" : "Kill switch released: new orders may pass again.";
            notifications.Add(db, new NotificationMessage(NotificationEvents.KillSwitchChanged, row.UpdatedAt, null, null, null, text,
                new Dictionary<string, object?> { ["enabled"] = enabled, ["reason"] = reason }), $"kill_switch:{row.UpdatedAt.ToUnixTimeMilliseconds()}");
        }

        await db.SaveChangesAsync(cancellationToken);
        metrics.KillSwitch(row.Enabled);
        await announcer.AnnounceAsync(row.Enabled, row.Reason, row.UpdatedBy, row.UpdatedAt, cancellationToken);
        return TypedResults.Ok(new KillSwitchView(row.Enabled, row.Reason, row.UpdatedAt, row.UpdatedBy));
    }

    private static List<(string Field, string Message)> Check(JsonElement root)
    {
        var errors = StoredText.ProblemsIn(root).ToList();
        if (errors.Count > 0)
        {
            return errors;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return [("body", $"Send a JSON object such as {Example}.")];
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "enabled" when property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    errors.Add(("enabled", "\"enabled\" must be true (stop new orders) or false."));
                    break;
                case "reason" when property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null):
                    errors.Add(("reason", "\"reason\" must be a string or null."));
                    break;
                case "reason" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > MaxReasonLength:
                    errors.Add(("reason", $"\"reason\" may have at most {MaxReasonLength} characters."));
                    break;
                case "enabled" or "reason":
                    break;
                default:
                    var name = property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name;
                    errors.Add((name, $"\"{name}\" is not a field of the kill switch; send {Example}."));
                    break;
            }
        }

        if (!root.TryGetProperty("enabled", out _))
        {
            errors.Add(("enabled", $"\"enabled\" is required: true or false, e.g. {Example}."));
        }

        return errors;
    }
}
