using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>A webhook alert for a strategy routed to Bybit, over real HTTP, RabbitMQ and PostgreSQL, against the Bybit fake.</summary>
public sealed class Routing_alerts_to_bybit : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, _fake.Settings());
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_end_filled_with_bybits_order_id()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("bybit", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01}""");
        status.ShouldBe(202);

        var alertId = body.GetProperty("alert_id").GetGuid();
        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(20));

        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        order.GetProperty("broker").GetString().ShouldBe("bybit");
        order.GetProperty("broker_order_id").GetString().ShouldNotBeNull().ShouldStartWith("bybit-");
        order.GetProperty("filled_quantity").GetDecimal().ShouldBe(0.01m);
        order.GetProperty("average_price").GetDecimal().ShouldBe(FakeBybit.MarketPrice);
        _fake.Orders.ShouldContainKey(order.GetProperty("client_order_id").GetString()!);

        await using var db = _environment.CreateDbContext();
        (await db.Positions.SingleAsync(p => p.Broker == "bybit" && p.Account == "main")).Quantity.ShouldBe(0.01m);
    }

    [Fact]
    public async Task Should_end_rejected_with_bybits_code_and_reason()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("bybitrej", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (_, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"REJECTUSDT","price":10,"quantity":1}""");
        var alertId = body.GetProperty("alert_id").GetGuid();
        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(20));

        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("110007");
    }

    [Fact]
    public async Task Should_refuse_a_broker_that_is_not_configured()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ts", d => d with { Routes = [new StrategyRoute("tradestation", "sim")] });
        var (_, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"AAPL","price":10,"quantity":1}""");
        var story = await _environment.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("not configured");
    }
}
