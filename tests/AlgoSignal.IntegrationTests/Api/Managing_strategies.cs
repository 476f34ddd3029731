using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Managing_strategies(AlgoSignalFixture fixture)
{
    private static string Body(string name, string extra = "") => $$"""
        {"name":"{{name}}","enabled":true,"mode":"paper",
         "routes":[{"broker":"paper","account":"acct-{{name}}"}],
         "symbols":["BINANCE:BTCUSDT"], "timeframes":[],
         "sizing":{"mode":"fixed","quantity":1},
         "risk_multiplier":1.0, "max_positions":5, "max_position_quantity":null,
         "max_order_notional":null, "max_daily_loss":null, "max_orders_per_minute":30,
         "trading_window":null, "max_signal_age_seconds":60, "allow_short":true, "pyramiding":1{{extra}}}
        """;

    private static string NewName() => "api-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null) =>
        await fixture.Http.SendAsync(new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") });

    [Fact]
    public async Task Should_create_a_strategy_and_show_its_token_once()
    {
        var name = NewName();
        using var created = await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("name").GetString().ShouldBe(name);
        var token = body.GetProperty("webhook_token").GetString().ShouldNotBeNull();
        token.Length.ShouldBe(64);
        body.GetProperty("webhook_url").GetString().ShouldBe($"{fixture.BaseAddress.ToString().TrimEnd('/')}/webhook/tradingview/{token}");

        var fetched = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}");
        fetched.TryGetProperty("webhook_token", out _).ShouldBeFalse();
        fetched.GetProperty("has_webhook_token").GetBoolean().ShouldBeTrue();
        fetched.GetProperty("symbols")[0].GetString().ShouldBe("BINANCE:BTCUSDT");
        (await fixture.Http.GetStringAsync("/api/v1/strategies")).ShouldNotContain(token);

        // The token works at once on the TradingView route.
        await using var ingress = await fixture.StartIngressAsync();
        var (status, answer, _) = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"action":"buy","symbol":"BINANCE:BTCUSDT","price":100}""", sign: false);
        status.ShouldBe(202);
        (await fixture.WaitForFinalAsync(answer.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");
    }

    [Fact]
    public async Task Should_refuse_a_second_strategy_of_the_same_name()
    {
        var name = NewName();
        (await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Should_answer_400_naming_an_unknown_field()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(NewName(), ",\"max_leverage\":5"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("max_leverage");
    }

    [Fact]
    public async Task Should_answer_400_listing_every_invalid_field()
    {
        var json = Body("bad name!").Replace("\"paper\",\n", "\"real\",\n", StringComparison.Ordinal)
            .Replace("\"broker\":\"paper\"", "\"broker\":\"robinhood\"", StringComparison.Ordinal)
            .Replace("\"trading_window\":null", "\"trading_window\":{\"start\":\"9am\",\"end\":\"16:00\",\"timezone\":\"Mars/Base\",\"days\":[\"mon\"]}", StringComparison.Ordinal)
            .Replace("\"pyramiding\":1", "\"pyramiding\":0", StringComparison.Ordinal);
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/strategies", json);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.ShouldContain("name");
        errors.ShouldContain("routes[0].broker");
        errors.ShouldContain("trading_window.start");
        errors.ShouldContain("trading_window.timezone");
        errors.ShouldContain("pyramiding");
    }

    [Fact]
    public async Task Should_update_disable_enable_rotate_and_delete()
    {
        var name = NewName();
        var created = await (await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name))).Content.ReadFromJsonAsync<JsonElement>();
        var oldToken = created.GetProperty("webhook_token").GetString()!;

        using (var updated = await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}", Body(name).Replace("\"pyramiding\":1", "\"pyramiding\":3", StringComparison.Ordinal)))
        {
            updated.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pyramiding").GetInt32().ShouldBe(3);
        }

        (await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}", Body("other-name"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/disable")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, whileDisabled) = await fixture.PostSignedAsync($$"""{"strategy":"{{name}}","action":"buy","symbol":"BTCUSDT","price":1}""");
        var story = await fixture.WaitForFinalAsync(whileDisabled.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("disabled");
        (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}")).GetProperty("enabled").GetBoolean().ShouldBeFalse();
        (await SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/enable")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rotated = await (await SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/rotate-token")).Content.ReadFromJsonAsync<JsonElement>();
        var newToken = rotated.GetProperty("webhook_token").GetString()!;
        newToken.ShouldNotBe(oldToken);
        (await fixture.PostTradingViewAsync(oldToken, """{"action":"buy","symbol":"BTCUSDT","price":1}""")).ShouldBe(401);
        (await fixture.PostTradingViewAsync(newToken, """{"action":"buy","symbol":"BTCUSDT","price":1}""")).ShouldBe(202);

        (await SendAsync(HttpMethod.Delete, $"/api/v1/strategies/{name}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await fixture.Http.GetAsync($"/api/v1/strategies/{name}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fixture.PostTradingViewAsync(newToken, """{"action":"buy","symbol":"BTCUSDT","price":1}""")).ShouldBe(401);
    }
}
