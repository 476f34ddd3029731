using MassTransit;
using MassTransit.Middleware;

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
        endpointConfigurator.ConfigureError(error =>
        {
            // An unreadable message becomes a rejected alert first; anything else keeps MassTransit's default: a fault, then the error queue.
            error.UseFilter(new SubmitAlertErrorFilter(
                context.GetRequiredService<IServiceScopeFactory>(), context.GetRequiredService<TimeProvider>(), context.GetRequiredService<ILogger<SubmitAlertErrorFilter>>()));
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        endpointConfigurator.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)));
    }
}
