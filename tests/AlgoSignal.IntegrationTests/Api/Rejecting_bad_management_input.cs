using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

/// <summary>
/// Every bad strategy body, query filter or kill-switch body is a 400 in the API's problem shape naming
/// the field — never a 500, never a .NET type name — and a fuzz run over the strategy and kill-switch
/// routes proves it for random and mutated bodies.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed partial class Rejecting_bad_management_input(AlgoSignalFixture fixture)
{
    [Theory]
    [MemberData(nameof(Catalogue))]
    public async Task Should_answer_400_naming_the_field(string field, string value, string? wholeBody, string expectedField)
    {
        var name = NewName();
        var body = wholeBody ?? Compose(name, field, value);
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/v1/strategies"), (HttpMethod.Put, "/api/v1/strategies/demo") })
        {
            using var response = await fixture.Http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{method} {body} → {text}");
            ShouldBeAProblemNamingTheField(text, expectedField);
        }

        (await fixture.Http.GetAsync($"/api/v1/strategies/{name}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_answer_400_to_a_patch_with_a_bad_field()
    {
        var name = NewName();
        (await fixture.Http.PostAsync("/api/v1/strategies", new StringContent(Compose(name), Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        foreach (var (patch, field) in new[]
        {
            ("""{"trading_window":{"start":"09:30"}}""", "trading_window.end"),
            ("""{"routes":[null]}""", "routes[0]"),
            ("""{"sizing":{"quantity":null}}""", "sizing.quantity"),
            ("""{"symbols":"BTCUSDT"}""", "symbols"),
            ("""{"max_position_quantity":1e40}""", "max_position_quantity"),
            ("""{"created_at":"2020-01-01T00:00:00Z"}""", "created_at"),
            ("""{"mode":"paper\u0000"}""", "mode"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/strategies/{name}") { Content = new StringContent(patch, Encoding.UTF8) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
            using var response = await fixture.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{patch} → {text}");
            ShouldBeAProblemNamingTheField(text, field);
        }
    }

    [Theory]
    [InlineData("/api/v1/alerts?strategy=demo%00", "strategy")]
    [InlineData("/api/v1/alerts?status=filled%00", "status")]
    [InlineData("/api/v1/orders?symbol=%00", "symbol")]
    [InlineData("/api/v1/positions?account=paper-1%00", "account")]
    [InlineData("/api/v1/positions?strategy=demo%00", "strategy")]
    [InlineData("/api/v1/webhook-log?route=%00", "route")]
    [InlineData("/api/v1/alerts?strategy=demo&strategy=x%00", "strategy")]
    [InlineData("/api/v1/alerts?limit=abc", "limit")]
    [InlineData("/api/v1/orders?limit=0", "limit")]
    [InlineData("/api/v1/webhook-log?limit=99999999999", "limit")]
    [InlineData("/api/v1/webhook-log?status=abc", "status")]
    [InlineData("/api/v1/webhook-log?alert_id=not-a-uuid", "alert_id")]
    public async Task Should_answer_400_naming_a_bad_query_filter(string path, string field)
    {
        using var response = await fixture.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        ShouldBeAProblemNamingTheField(text, field);
    }

    // Kestrel itself refuses a NUL in the path before any route runs; what matters is the 400.
    [Theory]
    [InlineData("/api/v1/strategies/demo%00")]
    [InlineData("/api/v1/alerts/sample%00")]
    [InlineData("/api/v1/accounts/paper-1%00/pnl")]
    public async Task Should_answer_400_to_a_nul_in_the_path(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_answer_400_to_a_bad_kill_switch_body_and_keep_the_switch_as_it_was()
    {
        foreach (var (body, field) in new[]
        {
            ("""{"enabled":true,"reason":"stop\u0000now"}""", "reason"),
            ("""{"enabled":true,"reason":"\udc00"}""", "reason"),
            ("""{"enabled":"yes"}""", "enabled"),
            ("""{"reason":"no flag"}""", "enabled"),
            ("""{"enabled":true,"reason":7}""", "reason"),
            ("{\"enabled\":true,\"reason\":\"" + new string('r', 501) + "\"}", "reason"),
            ("[true]", "body"),
            ("{\"enabled\":tru", "body"),
        })
        {
            using var response = await fixture.Http.PostAsync("/api/v1/kill-switch", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{body} → {text}");
            ShouldBeAProblemNamingTheField(text, field);
        }

        (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/kill-switch")).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    /// <summary>
    /// The fuzz run: 800 generated requests over create, PUT, PATCH and the kill switch in the suite;
    /// <c>ALGOSIGNAL_FUZZ_REQUESTS</c> sets another count.
    /// </summary>
    [Fact]
    public async Task Should_never_answer_500_to_random_or_mutated_bodies()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("ALGOSIGNAL_FUZZ_REQUESTS"), out var configured) ? configured : 800;
        var capture = new CapturingLoggerProvider();
        await using var ingress = await fixture.StartIngressAsync(configure: builder => builder.Logging.AddProvider(capture));
        var target = NewName();
        (await ingress.Http.PostAsync("/api/v1/strategies", new StringContent(Compose(target), Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var random = new Random(20261202);
        var catalogue = Catalogue().Select(row => (string?)row[2] ?? Compose(NewName(), (string)row[0], (string)row[1])).ToList();
        string[] hostile =
        [
            "null", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "1e30", "-1e30", "1e-30", "99999999999999999999999999999", "0", "-1", "1.5",
            "true", "[]", "[null]", "[[]]", "{}", "{\"a\":null}", "\"09:30-16:00\"", "\"" + new string('x', 5000) + "\"", "\"\\n\\r\\t\\u001b\"", "[" + string.Join(",", Enumerable.Repeat("\"S\"", 1500)) + "]",
        ];

        try
        {
            for (var i = 0; i < requests; i++)
            {
                var valid = Compose(i % 4 == 0 ? NewName() : target);
                var body = (i % 5) switch
                {
                    0 => catalogue[random.Next(catalogue.Count)],
                    1 => Encoding.Latin1.GetString(Fuzz.RandomBytes(random, random.Next(0, 1024))),
                    2 => Fuzz.Mutate(random, valid),
                    _ => Compose(i % 4 == 0 ? NewName() : target, ValidFields[random.Next(ValidFields.Length)].Field, hostile[random.Next(hostile.Length)]),
                };
                var (method, path, contentType) = (i % 4) switch
                {
                    0 => (HttpMethod.Post, "/api/v1/strategies", "application/json"),
                    1 => (HttpMethod.Put, $"/api/v1/strategies/{target}", "application/json"),
                    2 => (HttpMethod.Patch, $"/api/v1/strategies/{target}", "application/merge-patch+json"),
                    _ => (HttpMethod.Post, "/api/v1/kill-switch", "application/json"),
                };
                if (i % 4 == 3)
                {
                    body = (i % 3) switch
                    {
                        0 => Fuzz.Mutate(random, """{"enabled":false,"reason":"fuzz run"}"""),
                        1 => $$"""{"enabled":false,"reason":{{hostile[random.Next(hostile.Length)]}}}""",
                        _ => body,
                    };
                }

                using var content = new ByteArrayContent(i % 7 == 0 ? Fuzz.RandomBytes(random, random.Next(1, 64)).Prepend((byte)'{').ToArray() : Encoding.UTF8.GetBytes(body));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                using var response = await ingress.Http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
                var text = await response.Content.ReadAsStringAsync();
                ((int)response.StatusCode).ShouldBeInRange(200, 499, $"request {i}: {method} {path} {body} → {text}");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty(text);
                    ShouldNameNoDotNetType(text);
                }
            }
        }
        finally
        {
            await ingress.Http.PostAsync("/api/v1/kill-switch", new StringContent("""{"enabled":false}""", Encoding.UTF8, "application/json"));
        }

        capture.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
            .ShouldBeEmpty("no unhandled exception while fuzzed");
        (await ingress.Http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{target}")).GetProperty("name").GetString().ShouldBe(target);
    }
}
