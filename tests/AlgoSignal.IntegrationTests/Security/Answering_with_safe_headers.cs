using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Security;

[Collection(AlgoSignalCollection.Name)]
public sealed class Answering_with_safe_headers(AlgoSignalFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/v1/alerts")]
    [InlineData("/no-such-page")]
    public async Task Should_forbid_content_sniffing_and_name_no_server(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.Server.ShouldBeEmpty();
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task Should_forbid_storing_management_data()
    {
        using var list = await fixture.Http.GetAsync("/api/v1/alerts?limit=1");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        list.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();

        using var anonymous = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var refused = await anonymous.GetAsync("/api/v1/strategies");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();
        refused.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task Should_forbid_storing_answers_that_carry_a_webhook_token()
    {
        var name = "hdr-" + Guid.NewGuid().ToString("N")[..10];
        var body = $$"""
            {"name":"{{name}}","enabled":true,"mode":"paper","routes":[{"broker":"paper","account":"acct-{{name}}"}],
             "symbols":[],"timeframes":[],"sizing":{"mode":"fixed","quantity":1},"risk_multiplier":1.0,"max_positions":5,
             "max_position_quantity":null,"max_order_notional":null,"max_daily_loss":null,"max_orders_per_minute":30,
             "trading_window":null,"max_signal_age_seconds":60,"allow_short":true,"pyramiding":1}
            """;
        using var created = await fixture.Http.PostAsync("/api/v1/strategies", new StringContent(body, Encoding.UTF8, "application/json"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("webhook_token", out _).ShouldBeTrue();
        created.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();

        using var rotated = await fixture.Http.PostAsync($"/api/v1/strategies/{name}/rotate-token", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await rotated.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("webhook_token", out _).ShouldBeTrue();
        rotated.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_refuse_an_unsupported_content_type_without_repeating_it()
    {
        const string chosen = "application/x-attacker-chosen-9f3b";
        var (status, answer) = await fixture.PostSignedAsync("""{"strategy":"demo"}""", contentType: chosen);
        status.ShouldBe(415);
        var text = answer.GetRawText();
        text.ShouldNotContain("attacker-chosen");
        text.ShouldContain("application/json");
        text.ShouldContain("text/plain");
    }
}
