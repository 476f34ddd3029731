using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// Alerts from other services on the <c>submit-alert</c> queue. The body is parsed by the same parser
/// as a webhook (snake_case, numbers or numeric strings, every error at once), then published as
/// <see cref="AlertReceived"/>. The alert id comes from the message id, so a redelivery is the same alert.
/// </summary>
public sealed partial class SubmitAlertConsumer(AlgoSignalDbContext db, TimeProvider time, Microsoft.Extensions.Options.IOptions<AlgoSignal.ServiceDefaults.RabbitMqOptions> rabbit, ILogger<SubmitAlertConsumer> logger) : IConsumer<SubmitAlert>
{
    public async Task Consume(ConsumeContext<SubmitAlert> context)
    {
        var now = time.GetUtcNow();
        var body = AlertBody(context);
        var alertId = AlertIdFor(context.MessageId, body);
        var parsed = AlertParser.Parse(body, requireStrategy: true);
        if (!parsed.IsValid)
        {
            // Nothing to publish: the rejection is stored so the sender can see why (GET /api/v1/alerts/{id}).
            if (await db.Alerts.FindAsync([alertId], context.CancellationToken) is null)
            {
                db.Alerts.Add(new AlertEntity
                {
                    AlertId = alertId,
                    Source = "queue",
                    Strategy = parsed.Payload?.Strategy,
                    Status = AlertStatuses.Rejected,
                    Reason = string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")),
                    ReceivedAt = now,
                    UpdatedAt = now,
                    Payload = parsed.RedactedJson ?? "{}",
                });
                await db.SaveChangesAsync(context.CancellationToken);
            }

            LogRejected(logger, alertId, parsed.Errors.Count);
            return;
        }

        var payload = parsed.Payload!;
        var partition = AlertPartitioning.Partition(payload.Strategy!, payload.Ticker, rabbit.Value.AlertPartitions);
        await context.Publish(new AlertReceived(alertId, now, "queue", null, null, parsed.RedactedJson!), publish =>
        {
            publish.SetRoutingKey(partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (publish.TryGetPayload<RabbitMqSendContext>(out var send))
            {
                send.Mandatory = true;
            }
        }, context.CancellationToken);
    }

    private static byte[] AlertBody(ConsumeContext<SubmitAlert> context)
    {
        var raw = context.ReceiveContext.Body.GetBytes();
        var contentType = context.ReceiveContext.ContentType?.MediaType ?? "";
        if (!contentType.Contains("masstransit", StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }

        // MassTransit's envelope: the alert is its "message" property.
        using var envelope = JsonDocument.Parse(raw);
        return envelope.RootElement.TryGetProperty("message", out var message) ? Encoding.UTF8.GetBytes(message.GetRawText()) : raw;
    }

    private static Guid AlertIdFor(Guid? messageId, byte[] body)
    {
        if (messageId is { } id && id != Guid.Empty)
        {
            return id;
        }

        // No message id: the body decides, so the same message delivered twice is the same alert.
        var hash = SHA256.HashData(body);
        return new Guid(hash.AsSpan(0, 16));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued alert {AlertId} rejected with {Count} error(s)")]
    private static partial void LogRejected(ILogger logger, Guid alertId, int count);
}
