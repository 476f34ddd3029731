using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>
/// Two worker hosts consume the same lanes. A burst of alternating entries and exits on one symbol
/// must end exactly as if processed one by one: every exit finds the entry before it.
/// </summary>
public sealed class Executing_in_arrival_order : IAsyncLifetime
{
    private readonly AlgoSignalFixture _environment = new(workers: 2, new Dictionary<string, string>
    {
        ["RabbitMq:AlertPartitions"] = "4",
        ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
        ["Webhook:RateLimit:PerStrategyPerMinute"] = "0",
    });

    public Task InitializeAsync() => _environment.InitializeAsync();

    public Task DisposeAsync() => _environment.DisposeAsync();

    [Fact]
    public async Task Should_end_with_the_position_of_sequential_processing_even_when_a_worker_stops_mid_burst()
    {
        const int pairs = 30;
        var symbol = "ORD" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (strategy, _) = await _environment.CreateStrategyAsync("ord", d => d with { MaxOrdersPerMinute = 0 });
        var ids = new List<Guid>();
        for (var i = 0; i < pairs; i++)
        {
            var (entryStatus, entry) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":{{100 + i}},"quantity":2}""");
            entryStatus.ShouldBe(202);
            ids.Add(entry.GetProperty("alert_id").GetGuid());
            var (exitStatus, exit) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"close_long","symbol":"{{symbol}}","price":{{101 + i}}}""");
            exitStatus.ShouldBe(202);
            ids.Add(exit.GetProperty("alert_id").GetGuid());

            if (i == pairs / 2)
            {
                // The active consumer goes away mid-burst; the other host takes over its lanes.
                await _environment.Workers[0].StopAsync();
            }
        }

        foreach (var id in ids)
        {
            var story = await _environment.WaitForFinalAsync(id, TimeSpan.FromSeconds(60));
            story.GetProperty("status").GetString().ShouldBe("filled", $"alert {id}: {story}");
        }

        await using var db = _environment.CreateDbContext();
        var orders = await db.Orders.Where(o => o.Symbol == symbol).OrderBy(o => o.Id).ToListAsync();
        orders.Count.ShouldBe(pairs * 2);
        orders.Select(o => o.Side).ShouldBe(Enumerable.Range(0, pairs * 2).Select(i => i % 2 == 0 ? "buy" : "sell"));
        orders.Select(o => o.AlertId).ShouldBe(ids, "orders were placed in arrival order");
        var position = await db.Positions.SingleAsync(p => p.Symbol == symbol);
        position.Quantity.ShouldBe(0m);
        position.RealizedPnl.ShouldBe(pairs * 2m, "each pair bought 2 and sold 2 one point higher");
    }
}
