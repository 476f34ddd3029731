using AlgoSignal.Contracts;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Pipeline;
using AlgoSignal.Worker.Telemetry;
using MassTransit;
using MassTransit.RabbitMqTransport;

namespace AlgoSignal.Worker.Consumers;

/// <summary>Takes an accepted alert through the pipeline to its final state, then tells followers what happened.</summary>
public sealed partial class AlertReceivedConsumer(AlertProcessor processor, BrokerSubmitter submitter, AlgoSignalDbContext db, AlgoSignalMetrics metrics, ILogger<AlertReceivedConsumer> logger) : IConsumer<AlertReceived>
{
    public async Task Consume(ConsumeContext<AlertReceived> context)
    {
        var started = metrics.AlertStageSince(AlertStages.QueueWait, context.Message.ReceivedAt);

        // Whoever published it, what the alert carries is made storable first (a NUL would fail every delivery).
        var outcome = await processor.ProcessAsync(StoredMessage.Clean(context.Message), context.CancellationToken);
        var alert = outcome.Alert;
        metrics.AlertDecided(db, alert, outcome.Decided, started);

        // Live-broker orders leave only now that their rows are committed (a redelivery resumes them).
        if (outcome.NeedsBrokerSubmission)
        {
            var submitting = metrics.Timestamp();
            await submitter.SubmitAsync(alert.AlertId, context.CancellationToken);
            metrics.AlertStage(AlertStages.BrokerSubmission, submitting);
        }

        // Confirmed concurrently: a handful of events cost one broker round trip, not one each.
        var events = await AlertEvents.ForAsync(db, alert, outcome.FilledElsewhere, fromTracker: outcome.Decided, context.CancellationToken);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        budget.CancelAfter(EventPublishBudget);
        try
        {
            await Task.WhenAll(events.Select(message => context.Publish(message, message.GetType(), budget.Token)));
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            if (context.TryGetPayload<ChannelContext>(out var channel) && !channel.Channel.IsOpen)
            {
                // The channel this message came on is gone with RabbitMQ: the broker has requeued the
                // message and delivers it again once back; that delivery finds the alert final and
                // publishes the events. Finishing now lets the lane reconnect — waiting here would hold
                // its endpoint, and with it the new connection the publish itself needs.
                LogEventsDeferred(logger, alert.AlertId);
                return;
            }

            // The channel is up but the confirms are late: the retry policy runs this again (the
            // alert found final, only the events published) until RabbitMQ takes them.
            throw new EventsNotPublishedException(alert.AlertId, EventPublishBudget);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} is decided; RabbitMQ went away before its events were confirmed, they follow the message's redelivery")]
    private static partial void LogEventsDeferred(ILogger logger, Guid alertId);

    /// <summary>How long the events of one alert may wait for RabbitMQ's confirms.</summary>
    public static readonly TimeSpan EventPublishBudget = TimeSpan.FromSeconds(2);
}

/// <summary>The alert is decided and committed, but RabbitMQ did not take its events in time.</summary>
public sealed class EventsNotPublishedException(Guid alertId, TimeSpan budget)
    : Exception($"Alert {alertId} is decided, but its events were not confirmed by RabbitMQ within {budget.TotalSeconds:0} s; publishing them is retried.");
