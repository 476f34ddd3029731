using AlgoSignal.Contracts;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// The last resort behind <see cref="AlertFailureFilter"/>: when even recording the failure failed
/// (PostgreSQL away for longer than the lane's retries), the message is in the lane's <c>_error</c>
/// queue and this fault, retried for longer, still ends the alert <c>failed</c> with the reason.
/// </summary>
public sealed partial class AlertFaultConsumer(IServiceScopeFactory scopes, TimeProvider time, ILogger<AlertFaultConsumer> logger) : IConsumer<Fault<AlertReceived>>
{
    public async Task Consume(ConsumeContext<Fault<AlertReceived>> context)
    {
        var alert = context.Message.Message;
        var reason = FailedAlerts.ReasonFor(context.Message.Exceptions.Select(e => (e.ExceptionType, e.Message)));
        var (recorded, now) = await FailedAlerts.RecordAsync(scopes, alert, reason, time.GetUtcNow(), context.CancellationToken);
        if (recorded is not null && now)
        {
            LogFailed(logger, alert.AlertId, reason);
            await context.Publish(AlertFailureFilter.EventFor(recorded), context.CancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid alertId, string reason);
}
