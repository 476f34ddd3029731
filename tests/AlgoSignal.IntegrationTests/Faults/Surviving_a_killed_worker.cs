using System.Diagnostics;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Faults;

/// <summary>
/// The worker process is killed with SIGKILL mid-burst and started again: RabbitMQ redelivers what it
/// had not acknowledged, and every accepted alert ends filled exactly once.
/// </summary>
public sealed class Surviving_a_killed_worker : IAsyncLifetime
{
    private readonly AlgoSignalFixture _environment = new(workers: 0, new Dictionary<string, string>
    {
        ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
        ["Webhook:RateLimit:PerStrategyPerMinute"] = "0",
    });

    private WorkerProcesses _workers = null!;

    public async Task InitializeAsync()
    {
        await _environment.InitializeAsync();
        _workers = new WorkerProcesses(_environment);
    }

    public async Task DisposeAsync()
    {
        await _workers.DisposeAsync();
        await _environment.DisposeAsync();
    }

    private Process StartWorker() => _workers.Start();

    private Task WaitForConsumerAsync() => _workers.WaitForConsumerAsync();

    [Fact]
    public async Task Should_fill_every_accepted_alert_exactly_once_across_a_sigkill()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("kill9", d => d with { MaxOrdersPerMinute = 0, MaxPositions = 1000, MaxSignalAgeSeconds = 0, Pyramiding = 100 });
        var first = StartWorker();
        await WaitForConsumerAsync();
        var ids = new List<Guid>();
        async Task BurstAsync(int from, int count)
        {
            // All at once, so the worker holds unacknowledged messages when it dies.
            var answers = await Task.WhenAll(Enumerable.Range(from, count).Select(i =>
                _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"K{{i % 7}}","price":10,"quantity":1,"alert_id":"kill9-{{i}}"}""")));
            answers.ShouldAllBe(a => a.Status == 202);
            ids.AddRange(answers.Select(a => a.Body.GetProperty("alert_id").GetGuid()));
        }

        await BurstAsync(0, 40);
        first.Kill(); // SIGKILL: no shutdown, no acknowledgements.
        await first.WaitForExitAsync();
        await BurstAsync(40, 20);
        StartWorker();
        await BurstAsync(60, 20);

        foreach (var id in ids)
        {
            (await _environment.WaitForFinalAsync(id, TimeSpan.FromSeconds(90))).GetProperty("status").GetString().ShouldBe("filled");
        }

        await using var db = _environment.CreateDbContext();
        (await db.Orders.CountAsync(o => o.Strategy == strategy)).ShouldBe(80, "one order per alert, none twice");
        (await db.Positions.Where(p => p.Account == "acct-" + strategy).SumAsync(p => p.Quantity)).ShouldBe(80m);
    }
}
