using System.Text;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Persistence;
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
        var alertId = QueuedAlerts.AlertIdFor(context.MessageId, body);
        var parsed = AlertParser.Parse(body, requireStrategy: true);
        if (!parsed.IsValid)
        {
            // Stored so the sender can see why (GET /api/v1/alerts/{id}), and told to followers like any rejection.
            var rejected = await QueuedAlerts.RejectAsync(
                db, alertId, parsed.Payload?.Strategy, string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")), parsed.RedactedJson ?? "{}", now, context.CancellationToken);
            await context.Publish(rejected, context.CancellationToken);
            LogRejected(logger, alertId, parsed.Errors.Count);
            return;
        }

        var payload = parsed.Payload!;
        var partition = AlertPartitioning.Partition(payload.Strategy!, payload.Ticker, rabbit.Value.AlertPartitions);
        await context.Publish(new AlertReceived(alertId, now, QueuedAlerts.Source, null, null, parsed.RedactedJson!), publish =>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued alert {AlertId} rejected with {Count} error(s)")]
    private static partial void LogRejected(ILogger logger, Guid alertId, int count);
}
