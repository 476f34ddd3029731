using System.Text.Json;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Persistence;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// The first step of the <c>submit-alert</c> endpoint's error pipe. A message MassTransit cannot read
/// (not JSON, a content type it has no reader for) never reaches <see cref="SubmitAlertConsumer"/>;
/// as the README promises for every invalid message, it becomes a <c>rejected</c> alert with the
/// parser's reason and its event is published, and the message is acknowledged instead of being
/// parked in <c>submit-alert_error</c>. Every other failure continues to the default error handling.
/// </summary>
public sealed partial class SubmitAlertErrorFilter(IServiceScopeFactory scopes, TimeProvider time, ILogger<SubmitAlertErrorFilter> logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!IsUnreadable(context.Exception))
        {
            await next.Send(context);
            return;
        }

        try
        {
            var body = context.Body.GetBytes();
            var alertId = QueuedAlerts.AlertIdFor(context.GetMessageId(), body);
            var parsed = AlertParser.Parse(body, requireStrategy: true);
            var reason = parsed.IsValid
                ? $"The message could not be read ({context.Exception.Message}). Publish the alert as JSON with content_type application/json, or in MassTransit's envelope."
                : string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}"));

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var rejected = await QueuedAlerts.RejectAsync(db, alertId, parsed.Payload?.Strategy, reason, parsed.RedactedJson ?? "{}", time.GetUtcNow(), context.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<IBus>().Publish(rejected, context.CancellationToken);
            LogUnreadable(logger, alertId, context.ContentType?.MediaType ?? "none");
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Not stored (PostgreSQL away): the message keeps the default path, the error queue.
            LogNotStored(logger, ex.Message);
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("submitAlertUnreadable");

    private static bool IsUnreadable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Runtime.Serialization.SerializationException or JsonException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued message {AlertId} (content type {ContentType}) could not be read; stored as a rejected alert")]
    private static partial void LogUnreadable(ILogger logger, Guid alertId, string contentType);

    [LoggerMessage(Level = LogLevel.Error, Message = "An unreadable queued message could not be stored as a rejected alert ({Error}); it goes to the error queue")]
    private static partial void LogNotStored(ILogger logger, string error);
}
