using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>The routes the console needs beyond the management API: the overview, a test alert, closing a position.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Using_the_console_api(AlgoSignalFixture fixture)
{
    private static string Symbol() => "C" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    [Fact]
    public async Task Should_send_a_test_alert_for_a_paper_strategy_through_the_queue()
    {
        var symbol = Symbol();
        var (strategy, _) = await fixture.CreateStrategyAsync("tst", d => d with { Symbols = [symbol] });
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);

        var (status, text) = await browser.SendAsync(HttpMethod.Post, $"/api/v1/strategies/{strategy}/test-alert", """{"price":250,"quantity":3}""");
        status.ShouldBe(HttpStatusCode.Accepted, text);
        var alertId = JsonDocument.Parse(text).RootElement.GetProperty("alert_id").GetGuid();

        var story = await fixture.WaitForFinalAsync(alertId);
        story.GetProperty("status").GetString().ShouldBe("filled");
        story.GetProperty("source").GetString().ShouldBe("console");
        story.GetProperty("strategy").GetString().ShouldBe(strategy);
        story.GetProperty("payload").GetProperty("symbol").GetString().ShouldBe(symbol);
        story.GetProperty("payload").GetProperty("action").GetString().ShouldBe("buy");
        story.GetProperty("orders")[0].GetProperty("quantity").GetDecimal().ShouldBe(3m);

        // Without the antiforgery token the session cannot send one.
        (await browser.SendAsync(HttpMethod.Post, $"/api/v1/strategies/{strategy}/test-alert", withToken: false)).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_refuse_a_test_alert_for_a_live_strategy_and_explain_bad_input()
    {
        var (live, _) = await fixture.CreateStrategyAsync("liv");
        await MakeLiveAsync(live);
        using (var refused = await fixture.Http.PostAsync($"/api/v1/strategies/{live}/test-alert", null))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("live");
        }

        (await fixture.Http.PostAsync("/api/v1/strategies/no-such-strategy-x/test-alert", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (any, _) = await fixture.CreateStrategyAsync("any");
        using var noSymbol = await fixture.Http.PostAsync($"/api/v1/strategies/{any}/test-alert", null);
        noSymbol.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noSymbol.Content.ReadAsStringAsync()).ShouldContain("symbol");

        using var unknownField = await fixture.Http.PostAsync($"/api/v1/strategies/{any}/test-alert", JsonContent.Create(new { symbol = "X", colour = "red" }));
        unknownField.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknownField.Content.ReadAsStringAsync()).ShouldContain("colour");

        await using var db = fixture.CreateDbContext();
        db.Alerts.Count(a => a.Strategy == live || a.Strategy == any).ShouldBe(0, "nothing was queued");
    }

    [Fact]
    public async Task Should_close_an_open_position_with_an_exit_alert()
    {
        var symbol = Symbol();
        var (strategy, _) = await fixture.CreateStrategyAsync("cls");
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":2}""");
        status.ShouldBe(202, body.ToString());
        (await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);
        var request = $$"""{"strategy":"{{strategy}}","symbol":"{{symbol}}"}""";
        (await browser.SendAsync(HttpMethod.Post, "/api/v1/positions/close", request, withToken: false)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PositionAsync(strategy)).ShouldBe(2m, "a refused request closes nothing");

        var (closed, text) = await browser.SendAsync(HttpMethod.Post, "/api/v1/positions/close", request);
        closed.ShouldBe(HttpStatusCode.Accepted, text);
        var story = await fixture.WaitForFinalAsync(JsonDocument.Parse(text).RootElement.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("filled");
        story.GetProperty("source").GetString().ShouldBe("console");
        var exit = story.GetProperty("orders")[0];
        (exit.GetProperty("intent").GetString(), exit.GetProperty("side").GetString(), exit.GetProperty("quantity").GetDecimal()).ShouldBe(("exit", "sell", 2m));
        (await PositionAsync(strategy)).ShouldBe(0m);

        var (again, reason) = await browser.SendAsync(HttpMethod.Post, "/api/v1/positions/close", request);
        again.ShouldBe(HttpStatusCode.Conflict);
        reason.ShouldContain("no open position");
        (await browser.SendAsync(HttpMethod.Post, "/api/v1/positions/close", """{"strategy":"no-such-strategy-y","symbol":"X"}""")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await browser.SendAsync(HttpMethod.Post, "/api/v1/positions/close", """{"strategy":"x"}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_sum_up_the_day_in_the_overview()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("ovw");
        var symbol = Symbol();
        var before = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/overview");

        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":1}""");
        status.ShouldBe(202, body.ToString());
        await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"sell","symbol":"{{symbol}}","price":110,"quantity":1,"market_position":"flat","prev_market_position":"long"}""");
        status.ShouldBe(202, body.ToString());
        await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"no-such-{{symbol}}","action":"buy","symbol":"{{symbol}}","price":1}""");
        status.ShouldBe(202, body.ToString());
        await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        (await fixture.PostSignedAsync("""{"strategy":"demo",""", signature: "t=1,v1=00")).Status.ShouldBe(401);

        // The webhook log is written in batches: the refusal shows within moments.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        JsonElement after;
        do
        {
            await Task.Delay(100);
            after = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/overview");
        }
        while (after.GetProperty("today").GetProperty("rejects").GetProperty("ingress").GetInt32() == 0 && TimeProvider.System.GetUtcNow() < deadline);

        var today = after.GetProperty("today");
        today.GetProperty("fills").GetInt32().ShouldBeGreaterThanOrEqualTo(before.GetProperty("today").GetProperty("fills").GetInt32() + 2);
        today.GetProperty("realized_pnl").GetDecimal().ShouldBeGreaterThanOrEqualTo(before.GetProperty("today").GetProperty("realized_pnl").GetDecimal() + 9m);
        today.GetProperty("rejects").GetProperty("rejected").GetInt32().ShouldBeGreaterThan(before.GetProperty("today").GetProperty("rejects").GetProperty("rejected").GetInt32());
        today.GetProperty("rejects").GetProperty("ingress").GetInt32().ShouldBeGreaterThan(0);
        today.GetProperty("statuses").GetProperty("filled").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        after.GetProperty("last_alert_at").GetDateTimeOffset().ShouldBeGreaterThan(TimeProvider.System.GetUtcNow().AddMinutes(-1));
        after.GetProperty("backlog").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        var latency = after.GetProperty("latency");
        latency.GetProperty("alerts").GetInt32().ShouldBeGreaterThanOrEqualTo(3);
        var p50 = latency.GetProperty("p50_ms").GetDouble();
        p50.ShouldBeInRange(0, 20_000);
        latency.GetProperty("p99_ms").GetDouble().ShouldBeGreaterThanOrEqualTo(p50);

        // One enabled live strategy makes the whole installation live, and names it.
        var (live, _) = await fixture.CreateStrategyAsync("ovl");
        await MakeLiveAsync(live);
        var withLive = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/overview");
        withLive.GetProperty("mode").GetString().ShouldBe("live");
        withLive.GetProperty("live_strategies").EnumerateArray().Select(s => s.GetString()).ShouldContain(live);
        (await fixture.Http.PostAsync($"/api/v1/strategies/{live}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var disabled = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/overview");
        disabled.GetProperty("live_strategies").EnumerateArray().Select(s => s.GetString()).ShouldNotContain(live);
    }

    private async Task MakeLiveAsync(string name)
    {
        await using var db = fixture.CreateDbContext();
        var row = (await db.Strategies.FindAsync(name)).ShouldNotBeNull();
        row.Mode = "live";
        await db.SaveChangesAsync();
    }

    private async Task<decimal> PositionAsync(string strategy)
    {
        var positions = await fixture.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/positions?strategy={strategy}");
        return positions.ShouldNotBeNull().Sum(p => p.GetProperty("quantity").GetDecimal());
    }
}
