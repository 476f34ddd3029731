using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace AlgoSignal.Bench;

/// <summary>
/// What the infrastructure alone can do on this machine: MassTransit publishing persistent,
/// publisher-confirmed messages of an alert's size to a durable queue and consuming them — no HTTP,
/// no database. AlgoSignal's throughput is reported as a ratio of this.
/// </summary>
public static class Baseline
{
    public static async Task<double> MeasureAsync(string host, int port, string virtualHost, string user, string password, int messages, int concurrency, CancellationToken cancellationToken)
    {
        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(host, (ushort)port, virtualHost, h =>
                {
                    h.Username(user);
                    h.Password(password);
                    h.PublisherConfirmation = true;
                });
                cfg.ReceiveEndpoint("bench-baseline", e =>
                {
                    e.PrefetchCount = 64;
                    e.Handler<BaselineMessage>(_ =>
                    {
                        if (Interlocked.Increment(ref consumed) == messages)
                        {
                            done.TrySetResult();
                        }

                        return Task.CompletedTask;
                    });
                });
            });
        });
        await using var provider = services.BuildServiceProvider();
        var control = provider.GetRequiredService<IBusControl>();
        await control.StartAsync(cancellationToken);
        try
        {
            var payload = new string('x', 160);
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < messages)
                {
                    await control.Publish(new BaselineMessage(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), payload), c => c.Durable = true, cancellationToken);
                }
            }));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            return messages / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await control.StopAsync(cancellationToken);
        }
    }
}
