using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

/// <summary>URLs in answers come from Api:PublicBaseUrl or the listening address, never from the client's Host header.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Building_public_urls(AlgoSignalFixture fixture)
{
    private static string Body(string name) => $$"""{"name":"{{name}}","routes":[{"broker":"paper","account":"acct-{{name}}"}]}""";

    private static string NewName() => "url-" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpClient http, HttpMethod method, string path, string? host, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_refuse_a_foreign_host_header_by_default()
    {
        var (status, _) = await SendAsync(fixture.Http, HttpMethod.Post, "/api/v1/strategies", "attacker.example", Body(NewName()));
        status.ShouldBe(HttpStatusCode.BadRequest);
        (await SendAsync(fixture.Http, HttpMethod.Get, "/openapi/v1.json", "attacker.example")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await SendAsync(fixture.Http, HttpMethod.Get, "/health/live", "localhost")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_build_the_webhook_url_and_openapi_server_from_the_listening_address_whatever_the_host_header()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["AllowedHosts"] = "*" });
        var expected = ingress.BaseAddress.ToString().TrimEnd('/');
        var name = NewName();

        var (created, createdText) = await SendAsync(ingress.Http, HttpMethod.Post, "/api/v1/strategies", "attacker.example", Body(name));
        created.ShouldBe(HttpStatusCode.Created, createdText);
        var answer = JsonDocument.Parse(createdText).RootElement;
        answer.GetProperty("webhook_url").GetString().ShouldBe($"{expected}/webhook/tradingview/{answer.GetProperty("webhook_token").GetString()}");

        var (_, rotatedText) = await SendAsync(ingress.Http, HttpMethod.Post, $"/api/v1/strategies/{name}/rotate-token", "attacker.example");
        JsonDocument.Parse(rotatedText).RootElement.GetProperty("webhook_url").GetString().ShouldNotBeNull().ShouldStartWith(expected + "/webhook/tradingview/");

        var (_, openApi) = await SendAsync(ingress.Http, HttpMethod.Get, "/openapi/v1.json", "attacker.example");
        openApi.ShouldNotContain("attacker.example");
        JsonDocument.Parse(openApi).RootElement.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe(expected);
    }

    [Fact]
    public async Task Should_use_the_configured_public_base_url_and_allow_its_host()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Api:PublicBaseUrl"] = "https://alerts.example.com/algosignal/" });
        var (created, text) = await SendAsync(ingress.Http, HttpMethod.Post, "/api/v1/strategies", "alerts.example.com", Body(NewName()));
        created.ShouldBe(HttpStatusCode.Created, text);
        var answer = JsonDocument.Parse(text).RootElement;
        answer.GetProperty("webhook_url").GetString().ShouldBe($"https://alerts.example.com/algosignal/webhook/tradingview/{answer.GetProperty("webhook_token").GetString()}");

        var document = await ingress.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        document.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe("https://alerts.example.com/algosignal");
        (await SendAsync(ingress.Http, HttpMethod.Get, "/health/live", "attacker.example")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Should_warn_at_start_when_listening_everywhere_without_a_public_name()
    {
        var capture = new CapturingLoggerProvider();
        await using (var ingress = await fixture.StartIngressAsync(configure: builder =>
        {
            builder.WebHost.UseUrls("http://0.0.0.0:0");
            builder.Logging.AddProvider(capture);
        }))
        {
            var address = ingress.BaseAddress.ToString();
            address.ShouldContain("0.0.0.0");
        }

        capture.Lines.ShouldContain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Api:PublicBaseUrl is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_to_start_with_a_public_base_url_that_is_not_http()
    {
        var failure = await Should.ThrowAsync<Exception>(async () =>
        {
            await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Api:PublicBaseUrl"] = "ftp://alerts.example.com?x=1" });
        });
        failure.ToString().ShouldContain("Api:PublicBaseUrl");
    }
}
