using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>A webhook alert routed to IBKR ends filled with the gateway's order id (real HTTP, RabbitMQ, PostgreSQL).</summary>
public sealed class Routing_alerts_to_interactive_brokers : IAsyncLifetime
{
    private FakeInteractiveBrokers _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeInteractiveBrokers.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, new Dictionary<string, string>
        {
            ["Brokers:InteractiveBrokers:BaseUrl"] = _fake.BaseAddress.ToString(),
            ["Brokers:InteractiveBrokers:AccountId"] = "DU1234567",
        });
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_end_filled_with_the_gateways_order_id()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ibkr", d => d with { Routes = [new StrategyRoute("interactive_brokers", "DU1234567")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NASDAQ:AAPL","price":190,"quantity":5}""");
        status.ShouldBe(202);

        var alertId = body.GetProperty("alert_id").GetGuid();
        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(20));

        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        order.GetProperty("broker").GetString().ShouldBe("interactive_brokers");
        order.GetProperty("broker_order_id").GetString().ShouldNotBeNullOrWhiteSpace();
        order.GetProperty("average_price").GetDecimal().ShouldBe(FakeInteractiveBrokers.MarketPrice);
        _fake.Orders.Values.ShouldHaveSingleItem().COid.ShouldBe(order.GetProperty("client_order_id").GetString());
    }
}
