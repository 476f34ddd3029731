using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>The pipeline's flows over real HTTP, RabbitMQ and PostgreSQL, each test with a strategy of its own.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Trading_on_paper(AlgoSignalFixture fixture)
{
    private async Task<JsonElement> SendAsync(string strategy, string fields)
    {
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}",{{fields}}}""");
        status.ShouldBe(202, body.ToString());
        return await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
    }

    private static string Symbol() => "P" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    [Fact]
    public async Task Should_reverse_a_long_into_a_short_with_two_orders_exit_first()
    {
        var (s, _) = await fixture.CreateStrategyAsync("rev");
        var symbol = Symbol();
        (await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":100,"quantity":2 """)).GetProperty("status").GetString().ShouldBe("filled");

        var story = await SendAsync(s, $$""" "action":"sell","symbol":"{{symbol}}","price":110,"quantity":1,"market_position":"short","prev_market_position":"long","position_size":-1 """);
        story.GetProperty("status").GetString().ShouldBe("filled");
        var orders = story.GetProperty("orders").EnumerateArray().ToList();
        orders.Select(o => (o.GetProperty("intent").GetString(), o.GetProperty("side").GetString(), o.GetProperty("quantity").GetDecimal()))
            .ShouldBe([("exit", "sell", 2m), ("entry", "sell", 1m)]);

        var positions = await fixture.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/positions?strategy={s}");
        var position = positions.ShouldNotBeNull().ShouldHaveSingleItem();
        position.GetProperty("quantity").GetDecimal().ShouldBe(-1m);
        position.GetProperty("realized_pnl").GetDecimal().ShouldBe(20m);
    }

    [Fact]
    public async Task Should_rest_a_limit_order_until_a_later_price_crosses_it()
    {
        var (s, _) = await fixture.CreateStrategyAsync("lim");
        var symbol = Symbol();
        var resting = await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":100,"quantity":1,"order_type":"limit","limit_price":95 """);
        resting.GetProperty("status").GetString().ShouldBe("ordered");
        resting.GetProperty("orders")[0].GetProperty("status").GetString().ShouldBe("accepted");

        // A price above the limit leaves it resting; one at or below fills it at that price.
        (await SendAsync(s, $$""" "action":"cancel","symbol":"OTHER{{symbol}}","price":97 """)).GetProperty("status").GetString().ShouldBe("cancelled");
        var later = await SendAsync(s, $$""" "action":"close_short","symbol":"{{symbol}}","price":94.5 """);
        later.GetProperty("status").GetString().ShouldBe("rejected", "there is no short to close, but its price still reaches the book");

        var first = await fixture.WaitForFinalAsync(resting.GetProperty("alert_id").GetGuid());
        first.GetProperty("status").GetString().ShouldBe("filled");
        var order = first.GetProperty("orders")[0];
        order.GetProperty("status").GetString().ShouldBe("filled");
        order.GetProperty("average_price").GetDecimal().ShouldBe(94.5m);
    }

    [Fact]
    public async Task Should_create_bracket_children_and_cancel_one_when_the_other_fills()
    {
        var (s, _) = await fixture.CreateStrategyAsync("brk");
        var symbol = Symbol();
        var entry = await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":100,"quantity":3,"take_profit":110,"stop_loss":95 """);
        entry.GetProperty("status").GetString().ShouldBe("filled");
        var orders = entry.GetProperty("orders").EnumerateArray().ToList();
        orders.Count.ShouldBe(3);
        var children = orders.Where(o => o.GetProperty("role").GetString() != "main").ToList();
        children.Select(c => (c.GetProperty("role").GetString(), c.GetProperty("side").GetString(), c.GetProperty("order_type").GetString(), c.GetProperty("status").GetString()))
            .ShouldBe([("take_profit", "sell", "limit", "accepted"), ("stop_loss", "sell", "stop", "accepted")], ignoreOrder: true);

        // The price falls through the stop: the stop-loss fills, the take-profit is cancelled.
        await SendAsync(s, $$""" "action":"cancel","symbol":"{{symbol}}X","price":1 """);
        await SendAsync(s, $$""" "action":"close_short","symbol":"{{symbol}}","price":94 """);

        await using var db = fixture.CreateDbContext();
        var rows = await db.Orders.Where(o => o.Strategy == s && o.Symbol == symbol).ToListAsync();
        rows.Single(o => o.Role == "stop_loss").Status.ShouldBe("filled");
        rows.Single(o => o.Role == "take_profit").Status.ShouldBe("cancelled");
        (await db.Positions.SingleAsync(p => p.Symbol == symbol)).Quantity.ShouldBe(0m);
    }

    [Fact]
    public async Task Should_size_by_each_rule()
    {
        async Task<decimal> SizedAsync(SizingRule rule, string extra = "")
        {
            var (s, _) = await fixture.CreateStrategyAsync("size", d => d with { Sizing = rule, MaxOrderNotional = null });
            var story = await SendAsync(s, $$""" "action":"buy","symbol":"{{Symbol()}}","price":200{{extra}} """);
            story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
            return story.GetProperty("orders")[0].GetProperty("quantity").GetDecimal();
        }

        (await SizedAsync(new SizingRule { Mode = SizingModes.Fixed, Quantity = 3m })).ShouldBe(3m);
        (await SizedAsync(new SizingRule { Mode = SizingModes.Notional, Quantity = null, Amount = 1_000m })).ShouldBe(5m);
        (await SizedAsync(new SizingRule { Mode = SizingModes.PercentEquity, Quantity = null, Percent = 10m })).ShouldBe(50m, "10 % of 100,000 at 200");
        (await SizedAsync(new SizingRule { Mode = SizingModes.RiskPercent, Quantity = null, Percent = 1m }, ",\"stop_loss\":190")).ShouldBe(100m, "1 % of 100,000 over a 10-point stop");
    }

    [Fact]
    public async Task Should_risk_reject_with_the_rule_and_pass_when_within_it()
    {
        var (s, _) = await fixture.CreateStrategyAsync("risk", d => d with { MaxOrderNotional = 1_000m, AllowShort = false });
        var symbol = Symbol();
        var tooBig = await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":200,"quantity":6 """);
        tooBig.GetProperty("status").GetString().ShouldBe("risk_rejected");
        tooBig.GetProperty("risk").GetProperty("rule").GetString().ShouldBe("max_order_notional");
        tooBig.GetProperty("orders").GetArrayLength().ShouldBe(0);

        (await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":200,"quantity":5 """)).GetProperty("status").GetString().ShouldBe("filled");

        var shortEntry = await SendAsync(s, $$""" "action":"short","symbol":"{{Symbol()}}","price":200,"quantity":1 """);
        shortEntry.GetProperty("risk").GetProperty("rule").GetString().ShouldBe("allow_short");
    }

    [Fact]
    public async Task Should_stop_entries_but_let_exits_out_while_the_kill_switch_is_on()
    {
        var (s, _) = await fixture.CreateStrategyAsync("kill");
        var symbol = Symbol();
        (await SendAsync(s, $$""" "action":"buy","symbol":"{{symbol}}","price":50,"quantity":1 """)).GetProperty("status").GetString().ShouldBe("filled");

        // The kill switch is global to the database: tests of this collection run one at a time, and it is
        // switched off again in any case.
        (await fixture.Http.PostAsJsonAsync("/api/v1/kill-switch", new { enabled = true, reason = "test" })).EnsureSuccessStatusCode();
        try
        {
            var entry = await SendAsync(s, $$""" "action":"buy","symbol":"{{Symbol()}}","price":50,"quantity":1 """);
            entry.GetProperty("status").GetString().ShouldBe("risk_rejected");
            entry.GetProperty("risk").GetProperty("rule").GetString().ShouldBe("kill_switch");
            entry.GetProperty("risk").GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("test");

            (await SendAsync(s, $$""" "action":"close","symbol":"{{symbol}}","price":55 """)).GetProperty("status").GetString().ShouldBe("filled");
        }
        finally
        {
            (await fixture.Http.PostAsJsonAsync("/api/v1/kill-switch", new { enabled = false })).EnsureSuccessStatusCode();
        }

        var pnl = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/acct-{s}/pnl");
        pnl.GetProperty("realized_pnl").GetDecimal().ShouldBe(5m);
        pnl.GetProperty("equity").GetDecimal().ShouldBe(100_005m);
    }

    [Fact]
    public async Task Should_fan_one_signal_out_to_every_route_with_its_own_client_order_id()
    {
        var (s, _) = await fixture.CreateStrategyAsync("fan", d => d with { Routes = [new("paper", "fan-a-" + d.Name), new("paper", "fan-b-" + d.Name)] });
        var story = await SendAsync(s, $$""" "action":"buy","symbol":"{{Symbol()}}","price":10,"quantity":2 """);
        story.GetProperty("status").GetString().ShouldBe("filled");
        var orders = story.GetProperty("orders").EnumerateArray().ToList();
        orders.Select(o => o.GetProperty("account").GetString()).ShouldBe(["fan-a-" + s, "fan-b-" + s], ignoreOrder: true);
        orders.Select(o => o.GetProperty("client_order_id").GetString()).Distinct().Count().ShouldBe(2);
        orders.ShouldAllBe(o => o.GetProperty("filled_quantity").GetDecimal() == 2m);
    }
}
