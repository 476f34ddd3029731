using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>The ingress serving a built console: its files, the page fallback, caching and the security headers.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Serving_the_console(AlgoSignalFixture fixture) : IAsyncLifetime
{
    private const string Index = "<!doctype html><html><head><script type=\"module\" src=\"/assets/index-4f9a2c1b.js\"></script></head><body><div id=\"root\"></div></body></html>";
    private const string Script = "document.getElementById('root').textContent = 'console';";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "algosignal-console-" + Guid.NewGuid().ToString("N")[..8]);
    private IngressInstance _ingress = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_root, "index.html"), Index);
        await File.WriteAllTextAsync(Path.Combine(_root, "assets", "index-4f9a2c1b.js"), Script);
        _ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Console:Root"] = _root });
    }

    public async Task DisposeAsync()
    {
        await _ingress.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/alerts/123")]
    [InlineData("/alerts/0195f3a2-8c1e-7d4b-9a6f-1234567890ab")]
    [InlineData("/strategies/new")]
    public async Task Should_answer_every_page_with_the_console_and_revalidate_it(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _ingress.BaseAddress };
        using var response = await anonymous.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldBe(Index);
        response.Headers.CacheControl.ShouldNotBeNull().NoCache.ShouldBeTrue();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/assets/index-4f9a2c1b.js")]
    [InlineData("/api/v1/alerts?limit=1")]
    [InlineData("/api/v1/nope")]
    [InlineData("/health/live")]
    public async Task Should_send_the_security_headers_with_every_answer(string path)
    {
        using var response = await _ingress.Http.GetAsync(path);
        var policy = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        policy.ShouldContain("default-src 'self'");
        policy.ShouldContain("script-src 'self'");
        policy.ShouldNotContain("unsafe-inline");
        policy.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
    }

    [Fact]
    public async Task Should_cache_hashed_assets_for_a_year()
    {
        using var response = await _ingress.Http.GetAsync("/assets/index-4f9a2c1b.js");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(Script);
        var cache = response.Headers.CacheControl.ShouldNotBeNull();
        cache.MaxAge.ShouldBe(TimeSpan.FromDays(365));
        cache.Public.ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/v1/alerts/extra/segments")]
    [InlineData("/webhook/nothing-here")]
    [InlineData("/health/nope")]
    [InlineData("/openapi/nope")]
    public async Task Should_keep_machine_paths_out_of_the_fallback(string path)
    {
        using var response = await _ingress.Http.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<!doctype", Case.Insensitive);
    }

    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("text/html")]
    public async Task Should_answer_a_browser_at_the_health_page_with_the_console(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var anonymous = new HttpClient { BaseAddress = _ingress.BaseAddress };
        using var response = await anonymous.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldBe(Index);
        response.Headers.Vary.ShouldContain("Accept");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    public async Task Should_keep_the_health_path_a_machine_route_for_probes(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await _ingress.Http.SendAsync(request);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<!doctype", Case.Insensitive);
        response.Content.Headers.ContentType!.MediaType.ShouldNotBe("text/html");

        // The probes' own routes answer as before, even when asked for HTML.
        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            using var probeRequest = new HttpRequestMessage(HttpMethod.Get, probe);
            probeRequest.Headers.TryAddWithoutValidation("Accept", "text/html");
            using var probeResponse = await _ingress.Http.SendAsync(probeRequest);
            probeResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await probeResponse.Content.ReadAsStringAsync()).ShouldNotContain("<!doctype", Case.Insensitive);
        }
    }

    [Fact]
    public async Task Should_answer_a_missing_asset_with_404_not_the_page()
    {
        using var response = await _ingress.Http.GetAsync("/assets/missing-00000000.js");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<!doctype", Case.Insensitive);
    }

    [Fact]
    public async Task Should_leave_a_post_to_a_read_only_route_a_405()
    {
        using var response = await _ingress.Http.PostAsync("/api/v1/alerts", null);
        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Should_say_how_to_build_the_console_when_none_is_built()
    {
        await using var bare = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Console:Root"] = _root + "-absent" });
        using var response = await bare.Http.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("infra/run.sh");
        page.ShouldContain("npm run build");
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        (await bare.Http.GetFromJsonAsync<JsonElement>("/api/v1/alerts?limit=1")).ValueKind.ShouldBe(JsonValueKind.Array);
    }
}
