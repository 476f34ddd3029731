using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Changing_a_strategy(AlgoSignalFixture fixture)
{
    private static string NewName() => "chg-" + Guid.NewGuid().ToString("N")[..10];

    private static string Body(string name, string account) => $$"""
        {"name":"{{name}}","enabled":true,"mode":"paper",
         "routes":[{"broker":"paper","account":"{{account}}"}],
         "symbols":["BINANCE:BTCUSDT","BINANCE:ETHUSDT"], "timeframes":[],
         "sizing":{"mode":"fixed","quantity":2},
         "risk_multiplier":1.0, "max_positions":5, "max_position_quantity":null,
         "max_order_notional":100000, "max_daily_loss":2500, "max_orders_per_minute":0,
         "trading_window":null, "max_signal_age_seconds":0, "allow_short":true, "pyramiding":1}
        """;

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    private async Task<string> CreateAsync(string? account = null)
    {
        var name = NewName();
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name, account ?? "acct-" + name));
        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        return name;
    }

    private static List<string> ErrorFields(JsonElement body) => body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public async Task Should_refuse_a_partial_put_listing_the_missing_fields_and_leave_the_strategy_as_it_was()
    {
        var name = await CreateAsync();
        var before = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}");

        var (status, body) = await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}",
            $$$"""{"name":"{{{name}}}","trading_window":{"start":"09:30","end":"16:00","timezone":"America/New_York","days":["mon","tue","wed","thu","fri"]}}""");

        status.ShouldBe(HttpStatusCode.BadRequest);
        var fields = ErrorFields(body);
        fields.ShouldContain("routes");
        fields.ShouldContain("sizing");
        fields.ShouldContain("symbols");
        fields.ShouldContain("max_order_notional");
        fields.ShouldContain("max_daily_loss");
        fields.ShouldNotContain("trading_window");
        body.GetProperty("errors").GetProperty("routes")[0].GetString().ShouldNotBeNull().ShouldContain("PATCH");
        var after = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}");
        after.ToString().ShouldBe(before.ToString());
    }

    [Fact]
    public async Task Should_take_a_get_answer_edited_and_sent_back_as_a_put()
    {
        var name = await CreateAsync();
        var answer = await fixture.Http.GetStringAsync($"/api/v1/strategies/{name}");
        var (status, body) = await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}", answer.Replace("\"pyramiding\":1", "\"pyramiding\":4", StringComparison.Ordinal));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("pyramiding").GetInt32().ShouldBe(4);
        body.GetProperty("max_daily_loss").GetDecimal().ShouldBe(2500m);
    }

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json")]
    public async Task Should_patch_only_the_fields_given(string contentType)
    {
        var name = await CreateAsync();
        var (status, body) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}",
            """{"trading_window":{"start":"09:30","end":"16:00","timezone":"America/New_York","days":["mon","fri"]},"sizing":{"quantity":3},"max_daily_loss":null}""", contentType);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("trading_window").GetProperty("timezone").GetString().ShouldBe("America/New_York");
        body.GetProperty("sizing").GetProperty("mode").GetString().ShouldBe("fixed");
        body.GetProperty("sizing").GetProperty("quantity").GetDecimal().ShouldBe(3m);
        body.GetProperty("max_daily_loss").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("max_order_notional").GetDecimal().ShouldBe(100000m);
        body.GetProperty("routes")[0].GetProperty("account").GetString().ShouldBe("acct-" + name);
        body.GetProperty("symbols").GetArrayLength().ShouldBe(2);

        var stored = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}");
        stored.GetProperty("sizing").GetProperty("quantity").GetDecimal().ShouldBe(3m);
        stored.GetProperty("max_daily_loss").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Should_refuse_a_patch_that_removes_a_required_field_or_renames()
    {
        var name = await CreateAsync();
        var (removed, body) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}", """{"routes":null}""", "application/merge-patch+json");
        removed.ShouldBe(HttpStatusCode.BadRequest);
        ErrorFields(body).ShouldBe(["routes"]);

        var (renamed, renameBody) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}", """{"name":"another-name"}""", "application/merge-patch+json");
        renamed.ShouldBe(HttpStatusCode.BadRequest);
        ErrorFields(renameBody).ShouldBe(["name"]);

        (await SendAsync(HttpMethod.Patch, "/api/v1/strategies/no-such-strategy", """{"pyramiding":2}""", "application/merge-patch+json")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_answer_415_to_a_patch_that_is_not_json_without_repeating_the_type()
    {
        var name = await CreateAsync();
        var (status, body) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}", """{"pyramiding":2}""", "text/x-evil-script");
        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        body.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("application/merge-patch+json");
        body.ToString().ShouldNotContain("evil");
    }

    [Fact]
    public async Task Should_refuse_removing_a_route_that_holds_an_open_position_unless_forced()
    {
        var name = NewName();
        var (accountA, accountB) = ("acct-" + name + "-a", "acct-" + name + "-b");
        (await SendAsync(HttpMethod.Post, "/api/v1/strategies", Body(name, accountA))).Status.ShouldBe(HttpStatusCode.Created);
        var (accepted, answer) = await fixture.PostSignedAsync($$"""{"strategy":"{{name}}","action":"sell","symbol":"BINANCE:BTCUSDT","price":100,"quantity":1}""");
        accepted.ShouldBe(202);
        (await fixture.WaitForFinalAsync(answer.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        // Adding a route strands nothing.
        var both = $$"""{"routes":[{"broker":"paper","account":"{{accountA}}"},{"broker":"paper","account":"{{accountB}}"}]}""";
        (await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}", both, "application/merge-patch+json")).Status.ShouldBe(HttpStatusCode.OK);

        var onlyB = $$"""{"routes":[{"broker":"paper","account":"{{accountB}}"}]}""";
        var (refused, problem) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}", onlyB, "application/merge-patch+json");
        refused.ShouldBe(HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString().ShouldNotBeNull();
        detail.ShouldContain(accountA);
        detail.ShouldContain("force=true");
        problem.GetProperty("open_positions")[0].GetProperty("quantity").GetDecimal().ShouldBe(-1m);

        var put = Body(name, accountB);
        (await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}", put)).Status.ShouldBe(HttpStatusCode.Conflict);
        (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{name}")).GetProperty("routes").GetArrayLength().ShouldBe(2);

        var (forced, changed) = await SendAsync(HttpMethod.Patch, $"/api/v1/strategies/{name}?force=true", onlyB, "application/merge-patch+json");
        forced.ShouldBe(HttpStatusCode.OK, changed.ToString());
        changed.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("account").GetString()).ShouldBe([accountB]);
        (await SendAsync(HttpMethod.Put, $"/api/v1/strategies/{name}?force=maybe", put)).Status.ShouldBe(HttpStatusCode.BadRequest);
    }
}
