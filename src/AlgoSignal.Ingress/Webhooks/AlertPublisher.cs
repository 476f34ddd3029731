using AlgoSignal.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Publishes an accepted alert and waits for RabbitMQ's publisher confirm, within the configured
/// budget. Mandatory routing: a message no durable queue would take comes back as a failure, so
/// "confirmed" always means "stored in a queue". The routing key is the alert's ordered lane.
/// </summary>
public sealed partial class AlertPublisher(IBus bus, IOptions<WebhookOptions> options, ILogger<AlertPublisher> logger)
{
    /// <returns>True when RabbitMQ confirmed the message; false when nothing was accepted.</returns>
    public async Task<bool> TryPublishAsync(AlertReceived message, int partition, CancellationToken cancellationToken)
    {
        AlgoSignal.ServiceDefaults.Telemetry.Tracing.TagAlert(message.AlertId);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.ConfirmTimeoutMs);
        try
        {
            await bus.Publish(message, context =>
            {
                context.Durable = true;
                context.SetRoutingKey(partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, budget.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogConfirmTimeout(logger, message.AlertId, options.Value.ConfirmTimeoutMs);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(logger, message.AlertId, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} not accepted: no publisher confirm within {TimeoutMs} ms")]
    private static partial void LogConfirmTimeout(ILogger logger, Guid alertId, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} not accepted: publish failed ({ErrorType}: {Error})")]
    private static partial void LogPublishFailed(ILogger logger, Guid alertId, string errorType, string error);
}
