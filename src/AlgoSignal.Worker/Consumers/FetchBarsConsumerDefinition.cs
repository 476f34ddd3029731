using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>Market data has its own queue: a slow TradingView never holds up alerts. A few fetches at a time.</summary>
public sealed class FetchBarsConsumerDefinition : ConsumerDefinition<FetchBarsConsumer>
{
    public FetchBarsConsumerDefinition()
    {
        EndpointName = "fetch-bars";
        ConcurrentMessageLimit = 4;
    }
}
