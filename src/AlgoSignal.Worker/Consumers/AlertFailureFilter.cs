using AlgoSignal.Domain.Alerts;
using AlgoSignal.Contracts;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// Outside the lane's retries: an alert that still fails after them is recorded <c>failed</c> with the
/// reason (in a fresh transaction), its <see cref="SignalRejected"/> is published and the message is
/// acknowledged — it is answered, not parked in <c>_error</c> to fail again on every redelivery.
/// Only when the failure cannot be recorded either (PostgreSQL away) does the message go to
/// <c>_error</c>, where <see cref="AlertFaultConsumer"/> takes over.
/// </summary>
public sealed partial class AlertFailureFilter(IServiceScopeFactory scopes, TimeProvider time, ILogger<AlertFailureFilter> logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested
            && ex is not EventsNotPublishedException
            && context.TryGetMessage<AlertReceived>(out var received))
        {
            (AlertEntity? Alert, bool Now) recorded;
            var reason = FailedAlerts.ReasonFor(Chain(ex));
            try
            {
                recorded = await FailedAlerts.RecordAsync(scopes, received.Message, reason, time.GetUtcNow(), context.CancellationToken);
            }
            catch (Exception recording) when (!context.CancellationToken.IsCancellationRequested)
            {
                LogNotRecorded(logger, received.Message.AlertId, recording.Message);
                throw;
            }

            if (recorded.Alert is null)
            {
                throw;
            }

            // Recorded by the fault consumer first: it publishes the event; the message is answered either way.
            if (recorded.Now)
            {
                LogFailed(logger, ex, recorded.Alert.AlertId, reason);
                await context.Publish(EventFor(recorded.Alert), context.CancellationToken);
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("alertFailure");

    /// <summary>The event a <c>failed</c> alert publishes, as <see cref="AlertEvents"/> builds it for every final rejection.</summary>
    public static SignalRejected EventFor(AlertEntity alert) => new(alert.AlertId, alert.Strategy, AlertStatuses.Failed, null, alert.Reason);

    /// <summary>The exception and its causes: "DbUpdateException" alone would not say that PostgreSQL refused a character.</summary>
    private static IEnumerable<(string Type, string Message)> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return (e.GetType().FullName ?? e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} failed after retries: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid alertId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} failed after retries and its failure could not be recorded ({Error}); its message goes to the error queue")]
    private static partial void LogNotRecorded(ILogger logger, Guid alertId, string error);
}
