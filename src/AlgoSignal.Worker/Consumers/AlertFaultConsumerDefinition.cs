using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>A fault usually means PostgreSQL is away: recording it retries for longer.</summary>
public sealed class AlertFaultConsumerDefinition : ConsumerDefinition<AlertFaultConsumer>
{
    public AlertFaultConsumerDefinition() => EndpointName = "alert-failed";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AlertFaultConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
}
