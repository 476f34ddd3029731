using AlgoSignal.Domain.Notifications;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// <c>/api/v1/notifications</c>: every delivery to a channel and how it went, newest first; <c>POST …/test</c> queues a
/// test message to every configured channel. Answers name channels (<c>webhook:0</c>, <c>telegram</c>, <c>email</c>),
/// never their URLs, tokens or passwords.
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/", ListAsync).WithName("ListNotifications").WithManagementProblems();
        group.MapPost("/test", TestAsync).WithName("TestNotifications").WithManagementProblems();
        return app;
    }

    public static async Task<Results<Ok<List<NotificationView>>, ValidationProblem>> ListAsync(
        AlgoSignalDbContext db, string? status, string? channel, [FromQuery(Name = "event")] string? notificationEvent, [FromQuery(Name = "alert_id")] string? alertId, string? limit,
        CancellationToken cancellationToken)
    {
        if (!ListLimit.TryRead(limit, out var take, out var badLimit))
        {
            return badLimit!;
        }

        Guid? alert = null;
        if (!string.IsNullOrEmpty(alertId))
        {
            if (!Guid.TryParse(alertId, out var id))
            {
                return JsonBody.Invalid("alert_id", "The query parameter \"alert_id\" must be AlgoSignal's alert id, a UUID such as 01a1fca0-653e-7277-aeeb-82c42b14a458.");
            }

            alert = id;
        }

        if (!string.IsNullOrEmpty(status) && status is not (NotificationStatuses.Pending or NotificationStatuses.Delivered or NotificationStatuses.Folded or NotificationStatuses.Failed))
        {
            return JsonBody.Invalid("status", "The query parameter \"status\" must be pending, delivered, folded or failed.");
        }

        var query = db.Notifications.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(n => n.Status == status);
        }

        if (!string.IsNullOrEmpty(channel))
        {
            query = query.Where(n => n.Channel == channel);
        }

        if (!string.IsNullOrEmpty(notificationEvent))
        {
            query = query.Where(n => n.Event == notificationEvent);
        }

        if (alert is { } a)
        {
            query = query.Where(n => n.AlertId == a);
        }

        var rows = await query.OrderByDescending(n => n.Id).Take(take)
            .Select(n => new NotificationView(n.Id, n.Event, n.Channel, n.Status, n.Attempts, n.LastError, n.AlertId, n.Strategy, n.Symbol, n.Text, n.FoldedInto, n.CreatedAt, n.DeliveredAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    public static async Task<Results<Accepted<TestNotificationsQueued>, ProblemHttpResult>> TestAsync(
        AlgoSignalDbContext db, NotificationOutbox outbox, IOptions<NotificationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var channels = options.Value.Channels();
        if (channels.Count == 0)
        {
            return TypedResults.Problem(
                detail: "No notification channel is configured. Set Notifications:Webhooks:0:Url, Notifications:Telegram:BotToken and :ChatId, or Notifications:Email:Host and :To (README, Notifications).",
                statusCode: StatusCodes.Status409Conflict);
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        outbox.Add(db, new NotificationMessage(NotificationEvents.Test, now, null, null, null, "AlgoSignal test notification: this channel is configured and reachable.",
            new Dictionary<string, object?> { ["test_id"] = id }), $"test:{id}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted("/api/v1/notifications?event=test", new TestNotificationsQueued(id, channels.Select(c => c.Name).ToList()));
    }
}

public sealed record NotificationView(
    long Id, string Event, string Channel, string Status, int Attempts, string? LastError, Guid? AlertId, string? Strategy, string? Symbol, string Text, long? FoldedInto,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

public sealed record TestNotificationsQueued(Guid TestId, List<string> Channels);
