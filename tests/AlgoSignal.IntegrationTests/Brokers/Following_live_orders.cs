using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker.Pipeline;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// Resting live orders are followed inside the broker's documented request budget (TradeStation: 250 requests
/// per 5 minutes, shared with new orders), and a new order still goes out at once.
/// </summary>
public sealed class Following_live_orders : IAsyncLifetime
{
    private FakeTradeStation _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradeStation.StartAsync();
        var settings = _fake.Settings();
        settings["Webhook:RateLimit:PerStrategyPerMinute"] = "0";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_poll_resting_orders_within_the_budget_and_send_a_new_order_at_once()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("resting", d => d with { Routes = [new StrategyRoute("tradestation", "SIM123456")] });
        var resting = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await _environment.PostSignedAsync(
                $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NYSE:IBM","price":150,"quantity":1,"order_type":"limit","limit_price":{{100 + i}},"alert_id":"rest-{{i}}-{{Guid.NewGuid():N}}"}""");
            status.ShouldBe(202);
            resting.Add(body.GetProperty("alert_id").GetGuid());
        }

        foreach (var id in resting)
        {
            (await _environment.WaitForFinalAsync(id, TimeSpan.FromSeconds(30))).GetProperty("status").GetString().ShouldBe("ordered");
        }

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (_fake.Orders.Count < resting.Count && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        _fake.Orders.Count.ShouldBe(resting.Count, "every resting order reached the broker");

        // A measured window of 30 s with six orders resting: each polled every 500 ms would be 360 requests.
        var windowStart = TimeProvider.System.GetUtcNow();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var windowEnd = TimeProvider.System.GetUtcNow();
        var polls = _fake.StatusRequestTimes.Count(t => t >= windowStart && t < windowEnd);

        // TradeStation's budget is 250 per 5 minutes (25 in 30 s at the average rate); polling may take at most
        // 20 a minute (10 in 30 s) plus the burst the poll budget allows.
        polls.ShouldBeLessThanOrEqualTo(15, $"status requests in 30 s: {polls}");
        polls.ShouldBeGreaterThan(0, "resting orders are still followed");

        var placedBefore = _fake.PlaceRequests;
        var sentAt = TimeProvider.System.GetUtcNow();
        var (_, market) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NYSE:IBM","price":150,"quantity":1}""");
        var marketId = market.GetProperty("alert_id").GetGuid();
        while (_fake.PlaceRequests == placedBefore && TimeProvider.System.GetUtcNow() - sentAt < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        (TimeProvider.System.GetUtcNow() - sentAt).ShouldBeLessThan(TimeSpan.FromSeconds(5), "a new order is not queued behind polling");
        var story = await _environment.WaitForSettledAsync(marketId, TimeSpan.FromSeconds(30));
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
    }
}
