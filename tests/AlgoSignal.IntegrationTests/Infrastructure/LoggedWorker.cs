using AlgoSignal.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>A worker in the test's process on an environment's settings, every log line of it kept in <paramref name="log"/>.</summary>
public static class LoggedWorker
{
    public static async Task<IHost> StartAsync(AlgoSignalFixture environment, CapturingLoggerProvider log)
    {
        var builder = WorkerHost.CreateBuilder([.. environment.Settings().Select(kv => $"--{kv.Key}={kv.Value}")]);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(log);
        var worker = builder.Build();
        await worker.StartAsync();
        return worker;
    }
}
