using AlgoSignal.Contracts;
using AlgoSignal.Worker.Pipeline;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>Takes an accepted alert through the pipeline to its final state.</summary>
public sealed class AlertReceivedConsumer(AlertProcessor processor) : IConsumer<AlertReceived>
{
    public Task Consume(ConsumeContext<AlertReceived> context) => processor.ProcessAsync(context.Message, context.CancellationToken);
}
