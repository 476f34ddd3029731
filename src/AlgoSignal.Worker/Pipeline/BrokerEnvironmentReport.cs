using AlgoSignal.Brokers;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>Says at start, for every configured broker, whether its orders trade real money and why.</summary>
public sealed partial class BrokerEnvironmentReport(IEnumerable<IBrokerAdapter> adapters, ILogger<BrokerEnvironmentReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var adapter in adapters)
        {
            LogEnvironment(logger, adapter.Name, adapter.Environment.ToString().ToLowerInvariant(), adapter.EnvironmentReason);
        }

        if (!adapters.Any())
        {
            LogPaperOnly(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {Broker}: environment {Environment} ({Reason})")]
    private static partial void LogEnvironment(ILogger logger, string broker, string environment, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No live broker is configured: every strategy trades on paper")]
    private static partial void LogPaperOnly(ILogger logger);
}
