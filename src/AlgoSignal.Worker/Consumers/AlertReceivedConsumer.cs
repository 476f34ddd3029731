using AlgoSignal.Contracts;
using AlgoSignal.Persistence;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>Takes an accepted alert through the pipeline to its final state, then tells followers what happened.</summary>
public sealed class AlertReceivedConsumer(AlertProcessor processor, BrokerSubmitter submitter, AlgoSignalDbContext db) : IConsumer<AlertReceived>
{
    public async Task Consume(ConsumeContext<AlertReceived> context)
    {
        var alert = await processor.ProcessAsync(context.Message, context.CancellationToken);

        // Live-broker orders leave only now that their rows are committed (a redelivery resumes them).
        if (processor.NeedsBrokerSubmission)
        {
            await submitter.SubmitAsync(alert.AlertId, context.CancellationToken);
        }

        // Confirmed concurrently: a handful of events cost one broker round trip, not one each.
        var events = await AlertEvents.ForAsync(db, alert, processor.FilledElsewhere, fromTracker: processor.Decided, context.CancellationToken);
        await Task.WhenAll(events.Select(message => context.Publish(message, message.GetType(), context.CancellationToken)));
    }
}
