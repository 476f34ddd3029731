using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>
/// Data the ingress now refuses, published straight to a lane (or stored before the strategy API
/// validated it): the worker answers with a rejection and its reason, never an exception.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Refusing_what_an_order_cannot_hold(AlgoSignalFixture fixture)
{
    private async Task<System.Text.Json.JsonElement> ProcessAsync(string strategy, string symbol, string fields)
    {
        var alertId = Guid.NewGuid();
        var payload = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}",{{fields}}}""";
        await PlainRabbit.PublishAlertReceivedAsync(
            fixture, new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, "127.0.0.1", payload), AlertPartitioning.Partition(strategy, symbol, 8));
        return await fixture.WaitForFinalAsync(alertId);
    }

    private async Task<string> StoreStrategyAsync(string definition)
    {
        var name = "raw-" + Guid.NewGuid().ToString("N")[..10];
        await using var db = fixture.CreateDbContext();
        db.Strategies.Add(new StrategyEntity
        {
            Name = name,
            Enabled = true,
            Mode = "paper",
            Definition = definition.Replace("NAME", name, StringComparison.Ordinal),
            CreatedAt = TimeProvider.System.GetUtcNow(),
            UpdatedAt = TimeProvider.System.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return name;
    }

    [Theory]
    [InlineData("\"price\":1000000000000,\"quantity\":1000000000000", "order_bounds")]
    [InlineData("\"price\":10,\"quantity\":1000000000000,\"take_profit\":1000000000000", "order_bounds")]
    public async Task Should_risk_reject_a_size_or_notional_beyond_what_the_books_hold(string fields, string rule)
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("huge");

        var story = await ProcessAsync(strategy, "HUGE", fields);

        story.GetProperty("status").GetString().ShouldBe("risk_rejected", story.ToString());
        story.GetProperty("risk").GetProperty("rule").GetString().ShouldBe(rule);
        story.GetProperty("reason").GetString().ShouldNotBeNullOrWhiteSpace();
        story.GetProperty("orders").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("\"price\":10,\"quantity\":1e28", "quantity")]
    [InlineData("\"price\":1e27,\"quantity\":1000", "price")]
    [InlineData("\"price\":10,\"quantity\":1,\"take_profit\":1e28", "take_profit")]
    public async Task Should_reject_numbers_no_order_can_hold_that_bypassed_the_ingress(string fields, string field)
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("huge");

        var story = await ProcessAsync(strategy, "HUGE", fields);

        story.GetProperty("status").GetString().ShouldBe("rejected", story.ToString());
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain(field);
        story.GetProperty("orders").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Should_skip_null_routes_of_a_stored_strategy()
    {
        var strategy = await StoreStrategyAsync("""{"name":"NAME","routes":[null,{"broker":"paper","account":"acct-NAME"}],"symbols":[null]}""");

        var story = await ProcessAsync(strategy, "NULLR", "\"price\":10,\"quantity\":1");

        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        story.GetProperty("orders")[0].GetProperty("account").GetString().ShouldBe("acct-" + strategy);
    }

    [Fact]
    public async Task Should_reject_an_alert_of_a_strategy_whose_only_route_is_null()
    {
        var strategy = await StoreStrategyAsync("""{"name":"NAME","routes":[null]}""");

        var story = await ProcessAsync(strategy, "NULLR", "\"price\":10,\"quantity\":1");

        story.GetProperty("status").GetString().ShouldBe("rejected", story.ToString());
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("no routes");
    }
}
