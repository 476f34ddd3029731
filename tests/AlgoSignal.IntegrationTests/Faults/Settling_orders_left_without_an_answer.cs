using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Faults;

/// <summary>
/// An order whose submission got no answer stays <c>unknown</c> — never failed while it might be live — and is
/// settled by its client order id once the broker answers again: placed exactly once, then followed to its fill.
/// </summary>
public sealed class Settling_orders_left_without_an_answer : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var settings = _fake.Settings();
        settings["Brokers:Bybit:TimeoutSeconds"] = "2";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_settle_an_unknown_order_once_the_broker_answers_and_place_it_once()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("unknown", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        _fake.FailNext(100_000, 503);
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01}""");
        status.ShouldBe(202);
        var alertId = body.GetProperty("alert_id").GetGuid();

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        string? orderStatus = null;
        while (orderStatus != "unknown" && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(200);
            await using var db = _environment.CreateDbContext();
            orderStatus = await db.Orders.Where(o => o.AlertId == alertId).Select(o => o.Status).FirstOrDefaultAsync();
        }

        orderStatus.ShouldBe("unknown", "the broker never answered the submission");
        _fake.Orders.ShouldBeEmpty();

        // The broker answers again: the order is asked for by its client order id, placed once, and followed to its fill.
        _fake.FailNext(0, 503);
        var story = await WaitForStatusAsync(alertId, "filled", TimeSpan.FromSeconds(90));
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        _fake.Orders.Values.Count(o => o.OrderLinkId == order.GetProperty("client_order_id").GetString()).ShouldBe(1);
        order.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldContain("unknown");
    }

    private async Task<System.Text.Json.JsonElement> WaitForStatusAsync(Guid alertId, string wanted, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var story = await _environment.WaitForFinalAsync(alertId);
        while (story.GetProperty("status").GetString() != wanted && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(250);
            story = await _environment.WaitForFinalAsync(alertId);
        }

        return story;
    }
}
