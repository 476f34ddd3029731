using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>A webhook alert routed to TradeStation ends filled with its order id; the rotated refresh token is stored.</summary>
public sealed class Routing_alerts_to_tradestation : IAsyncLifetime
{
    private FakeTradeStation _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradeStation.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, _fake.Settings());
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_end_filled_with_tradestations_order_id()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ts", d => d with { Routes = [new StrategyRoute("tradestation", "SIM123456")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"NYSE:IBM","price":150,"quantity":3}""");
        status.ShouldBe(202);

        var alertId = body.GetProperty("alert_id").GetGuid();
        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(20));

        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        order.GetProperty("broker").GetString().ShouldBe("tradestation");
        order.GetProperty("broker_order_id").GetString().ShouldNotBeNullOrWhiteSpace();
        order.GetProperty("average_price").GetDecimal().ShouldBe(FakeTradeStation.MarketPrice);

        await using var connection = new NpgsqlConnection(_environment.ConnectionString);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand("SELECT refresh_token FROM broker_tokens WHERE broker = 'tradestation'", connection);
        ((string?)await stored.ExecuteScalarAsync()).ShouldBe(_fake.CurrentRefreshToken, "the rotated refresh token survives a restart");
    }
}
