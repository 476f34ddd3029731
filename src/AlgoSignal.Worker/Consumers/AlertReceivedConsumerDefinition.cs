using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// Short in-memory retries for transient database faults (the whole alert runs in one transaction,
/// so a retry starts clean), then the _error queue.
/// </summary>
public sealed class AlertReceivedConsumerDefinition : ConsumerDefinition<AlertReceivedConsumer>
{
    public AlertReceivedConsumerDefinition()
    {
        // The lanes (alert-received-N) are configured in WorkerHost; this definition supplies the retry policy.
        EndpointName = "alert-received";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AlertReceivedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
            r.Ignore<ArgumentException>();
            r.Ignore<FormatException>();
        });
    }
}
