using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>The <c>submit-alert</c> queue takes MassTransit envelopes and plain JSON from any client.</summary>
public sealed class SubmitAlertConsumerDefinition : ConsumerDefinition<SubmitAlertConsumer>
{
    public SubmitAlertConsumerDefinition()
    {
        EndpointName = "submit-alert";
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SubmitAlertConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        endpointConfigurator.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)));
    }
}
