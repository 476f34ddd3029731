using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Telling_an_alerts_story(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_tell_the_route_the_decision_time_every_rule_the_sizing_and_the_resulting_position()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("story", d => d with
        {
            Sizing = new AlgoSignal.Domain.Strategies.SizingRule { Mode = "notional", Amount = 1000m, Quantity = null },
            RiskMultiplier = 2m,
            MaxOrderNotional = 5000m,
        });
        var (status, accepted) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:ETHUSDT","price":400}""");
        status.ShouldBe(202);
        var id = accepted.GetProperty("alert_id").GetGuid();
        (await fixture.WaitForFinalAsync(id)).GetProperty("status").GetString().ShouldBe("filled");

        // The route comes from the request's webhook-log row, which the ingress writes in the background.
        var story = default(JsonElement);
        (await Eventually.HoldsAsync(
            async () => (story = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}")).TryGetProperty("route", out _),
            TimeSpan.FromSeconds(10))).ShouldBeTrue("the story names its route once the webhook log has the request");
        story.GetProperty("symbol").GetString().ShouldBe("BINANCE:ETHUSDT");
        story.GetProperty("route").GetString().ShouldBe("signed"); // as the webhook log names it
        var receivedAt = story.GetProperty("received_at").GetDateTimeOffset();
        var decidedAt = story.GetProperty("decided_at").GetDateTimeOffset();
        decidedAt.ShouldBeGreaterThanOrEqualTo(receivedAt);
        story.GetProperty("risk").GetProperty("decided_at").GetDateTimeOffset().ShouldBe(decidedAt);

        // Approved: every rule of the engine passed, each with the strategy's limit where it has one.
        var rules = story.GetProperty("risk").GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("rule").GetString()).ShouldBe(AlgoSignal.Domain.Risk.RiskEngine.Default.RuleNames);
        rules.ShouldAllBe(r => r.GetProperty("passed").GetBoolean());
        var notional = rules.Single(r => r.GetProperty("rule").GetString() == "max_order_notional");
        notional.GetProperty("limit").GetDecimal().ShouldBe(5000m);
        notional.GetProperty("value").GetDecimal().ShouldBe(2000m);

        // 1000 / 400 = 2.5, × 2 = 5 units.
        var sizing = story.GetProperty("sizing");
        sizing.GetProperty("mode").GetString().ShouldBe("notional");
        sizing.GetProperty("quantity").GetDecimal().ShouldBe(5m);
        sizing.GetProperty("arithmetic").GetString().ShouldBe("sizing.amount 1000 ÷ price 400 = 2.5 × risk multiplier 2 = 5 → 5 (rounded down to the lot step)");
        sizing.GetProperty("definition_changed_since").GetBoolean().ShouldBeFalse();

        var order = story.GetProperty("orders")[0];
        order.GetProperty("alert_id").GetGuid().ShouldBe(id);
        order.GetProperty("events").EnumerateArray().ShouldAllBe(e => e.GetProperty("created_at").GetDateTimeOffset() >= receivedAt);
        var position = story.GetProperty("positions").EnumerateArray().Single();
        position.GetProperty("symbol").GetString().ShouldBe(order.GetProperty("symbol").GetString());
        position.GetProperty("account").GetString().ShouldBe("acct-" + strategy);
        position.GetProperty("quantity").GetDecimal().ShouldBe(5m);
    }

    [Fact]
    public async Task Should_list_the_rules_that_passed_before_the_one_that_refused_with_its_values()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("story", d => d with { MaxOrderNotional = 100m });
        var (_, accepted) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:ETHUSDT","price":400,"quantity":1}""");
        var id = accepted.GetProperty("alert_id").GetGuid();
        var story = await fixture.WaitForFinalAsync(id);
        story.GetProperty("status").GetString().ShouldBe("risk_rejected");

        var rules = story.GetProperty("risk").GetProperty("rules").EnumerateArray().ToList();
        var names = AlgoSignal.Domain.Risk.RiskEngine.Default.RuleNames;
        var refusedAt = names.ToList().IndexOf("max_order_notional");
        rules.Count.ShouldBe(refusedAt + 1);
        rules.Take(refusedAt).ShouldAllBe(r => r.GetProperty("passed").GetBoolean());
        var refused = rules[^1];
        refused.GetProperty("rule").GetString().ShouldBe("max_order_notional");
        refused.GetProperty("passed").GetBoolean().ShouldBeFalse();
        refused.GetProperty("limit").GetDecimal().ShouldBe(100m);
        refused.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("400");

        // No order, so no sizing or position to show: those fields are absent, not invented.
        story.TryGetProperty("sizing", out _).ShouldBeFalse();
        story.TryGetProperty("positions", out _).ShouldBeFalse();
    }
}
