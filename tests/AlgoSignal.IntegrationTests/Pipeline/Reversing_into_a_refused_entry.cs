using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>A reversal whose exit fills but whose entry a risk rule refuses: the alert says both, and so do its events.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Reversing_into_a_refused_entry(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_end_partially_executed_with_the_filled_exit_and_the_rule_that_refused_the_entry()
    {
        var (s, _) = await fixture.CreateStrategyAsync("part", d => d with { AllowShort = false });
        var symbol = "R" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        var (_, opened) = await fixture.PostSignedAsync($$"""{"strategy":"{{s}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":2}""");
        (await fixture.WaitForFinalAsync(opened.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        await using var follower = await PlainRabbit.FollowAsync(fixture, "SignalRejected", "OrderFilled");
        var (status, reversed) = await fixture.PostSignedAsync(
            $$"""{"strategy":"{{s}}","action":"sell","symbol":"{{symbol}}","price":110,"quantity":1,"market_position":"short","prev_market_position":"long","position_size":-1}""");
        status.ShouldBe(202);
        var alertId = reversed.GetProperty("alert_id").GetGuid();
        var story = await fixture.WaitForFinalAsync(alertId);

        story.GetProperty("status").GetString().ShouldBe("partially_executed", story.ToString());
        var reason = story.GetProperty("reason").GetString().ShouldNotBeNull();
        reason.ShouldContain("exit (sell 2) filled");
        reason.ShouldContain("entry was rejected by rule allow_short");
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        (order.GetProperty("intent").GetString(), order.GetProperty("status").GetString()).ShouldBe(("exit", "filled"));
        var positions = await fixture.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/positions?strategy={s}");
        positions.ShouldNotBeNull().ShouldAllBe(p => p.GetProperty("quantity").GetDecimal() == 0m);

        var rejected = await follower.WaitForAsync("SignalRejected", m => m.GetProperty("alertId").GetGuid() == alertId);
        rejected.GetProperty("status").GetString().ShouldBe("partially_executed");
        rejected.GetProperty("rule").GetString().ShouldBe("allow_short");
        await follower.WaitForAsync("OrderFilled", m => m.GetProperty("alertId").GetGuid() == alertId && m.GetProperty("side").GetString() == "sell");
    }
}
