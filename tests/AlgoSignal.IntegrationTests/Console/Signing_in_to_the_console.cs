using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>Browser sessions: the cookie, the antiforgery token on every change, sign-out, and machines untouched.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Signing_in_to_the_console(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_start_a_session_in_an_httponly_strict_cookie_that_does_not_hold_the_key()
    {
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        using var response = await browser.PostSignInAsync(AlgoSignalFixture.ApiKey);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var answer = JsonDocument.Parse(text).RootElement;
        answer.GetProperty("signed_in").GetBoolean().ShouldBeTrue();
        var expiresAt = answer.GetProperty("expires_at").GetDateTimeOffset();
        expiresAt.ShouldBeInRange(TimeProvider.System.GetUtcNow().AddHours(11.9), TimeProvider.System.GetUtcNow().AddHours(12.1));
        text.ShouldNotContain(AlgoSignalFixture.ApiKey);

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleBrowser.SessionCookie + "=", StringComparison.Ordinal));
        setCookie.ShouldContain("httponly", Case.Insensitive);
        setCookie.ShouldContain("samesite=strict", Case.Insensitive);
        setCookie.ShouldContain("path=/", Case.Insensitive);
        setCookie.ShouldContain("expires=", Case.Insensitive);
        setCookie.ShouldNotContain("secure", Case.Insensitive, "the request was plain HTTP");
        setCookie.ShouldNotContain(AlgoSignalFixture.ApiKey);

        // The session works where a key would, without the key.
        (await browser.Http.GetAsync("/api/v1/alerts?limit=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var session = await browser.Http.GetFromJsonAsync<JsonElement>("/api/v1/session");
        session.GetProperty("signed_in").GetBoolean().ShouldBeTrue();
        session.GetProperty("antiforgery_token").GetString().ShouldNotBeNullOrEmpty();
        session.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(expiresAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Should_mark_the_cookie_secure_when_users_reach_the_ingress_over_https()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Api:PublicBaseUrl"] = "https://alerts.example.com" });
        using var browser = new ConsoleBrowser(ingress.BaseAddress);
        using var response = await browser.PostSignInAsync(AlgoSignalFixture.ApiKey);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleBrowser.SessionCookie + "=", StringComparison.Ordinal))
            .ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task Should_refuse_a_wrong_key_and_count_it_against_the_address_like_a_wrong_header()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Api:AuthFailures:PerSource"] = "2",
            ["Api:AuthFailures:WindowSeconds"] = "60",
        });
        using var browser = new ConsoleBrowser(ingress.BaseAddress);
        using (var wrong = await browser.PostSignInAsync("wrong-key-0123456789abcdef"))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            wrong.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            wrong.Headers.Contains("Set-Cookie").ShouldBeFalse();
        }

        // One wrong header key and the address has used up its two guesses: even the right key is refused now.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts"))
        {
            request.Headers.Add("X-Api-Key", "another-wrong-key-0123456789");
            (await browser.Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var limited = await browser.PostSignInAsync(AlgoSignalFixture.ApiKey);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        browser.Cookie(ConsoleBrowser.SessionCookie).ShouldBeNull();

        (await browser.Http.GetAsync("/api/v1/session")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Should_refuse_a_change_made_with_the_cookie_without_the_antiforgery_token_and_change_nothing()
    {
        var (name, _) = await fixture.CreateStrategyAsync("csrf");
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);

        var (refused, problem) = await browser.SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/disable", withToken: false);
        refused.ShouldBe(HttpStatusCode.BadRequest, problem);
        problem.ShouldContain("X-CSRF-TOKEN");
        (await EnabledAsync(name)).ShouldBeTrue("nothing may change without the token");

        var (forged, _) = await browser.SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/disable", withToken: false);
        forged.ShouldBe(HttpStatusCode.BadRequest);
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/strategies/{name}/disable"))
        {
            request.Headers.Add(ConsoleBrowser.CsrfHeader, "not-a-token");
            (await browser.Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await EnabledAsync(name)).ShouldBeTrue();

        var (accepted, body) = await browser.SendAsync(HttpMethod.Post, $"/api/v1/strategies/{name}/disable");
        accepted.ShouldBe(HttpStatusCode.OK, body);
        (await EnabledAsync(name)).ShouldBeFalse();

        // Reading needs no token, and a machine with X-Api-Key needs none for a change.
        (await browser.SendAsync(HttpMethod.Get, $"/api/v1/strategies/{name}", withToken: false)).Status.ShouldBe(HttpStatusCode.OK);
        using var machine = await fixture.Http.PostAsync($"/api/v1/strategies/{name}/enable", null);
        machine.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await EnabledAsync(name)).ShouldBeTrue();
    }

    [Fact]
    public async Task Should_end_the_session_on_sign_out_even_for_a_copy_of_the_cookie_on_another_ingress()
    {
        await using var other = await fixture.StartIngressAsync();
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);
        var copy = browser.Cookie(ConsoleBrowser.SessionCookie).ShouldNotBeNull().Value;
        (await GetWithCookieAsync(other.BaseAddress, copy)).ShouldBe(HttpStatusCode.OK, "both ingress processes share the keys");

        (await browser.SendAsync(HttpMethod.Delete, "/api/v1/session", withToken: false)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.Http.GetAsync("/api/v1/session")).StatusCode.ShouldBe(HttpStatusCode.OK, "a refused sign-out leaves the session");

        (await browser.SendAsync(HttpMethod.Delete, "/api/v1/session")).Status.ShouldBe(HttpStatusCode.NoContent);
        browser.Cookie(ConsoleBrowser.SessionCookie).ShouldBeNull();
        (await browser.Http.GetAsync("/api/v1/session")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var replay = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts");
        request.Headers.Add("Cookie", $"{ConsoleBrowser.SessionCookie}={copy}");
        (await replay.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The other ingress hears of the sign-out through RabbitMQ.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        HttpStatusCode elsewhere;
        do
        {
            await Task.Delay(100);
            elsewhere = await GetWithCookieAsync(other.BaseAddress, copy);
        }
        while (elsewhere != HttpStatusCode.Unauthorized && TimeProvider.System.GetUtcNow() < deadline);

        elsewhere.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Should_refuse_a_signed_out_cookie_on_an_ingress_started_after_the_sign_out()
    {
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);
        var copy = browser.Cookie(ConsoleBrowser.SessionCookie).ShouldNotBeNull().Value;
        (await browser.SendAsync(HttpMethod.Delete, "/api/v1/session")).Status.ShouldBe(HttpStatusCode.NoContent);

        // An expired sign-out is cleared away by the next ingress that reads them.
        await using (var db = fixture.CreateDbContext())
        {
            db.ConsoleSessionRevocations.Add(new() { SessionId = "expired-" + Guid.NewGuid().ToString("N"), ExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) });
            await db.SaveChangesAsync();
        }

        // Started after the sign-out, it never heard the announcement: only the stored sign-out can refuse the copy.
        await using var later = await fixture.StartIngressAsync();
        (await GetWithCookieAsync(later.BaseAddress, copy)).ShouldBe(HttpStatusCode.Unauthorized);

        await using var check = fixture.CreateDbContext();
        var stored = await check.ConsoleSessionRevocations.AsNoTracking().ToListAsync();
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(r => r.ExpiresAt > TimeProvider.System.GetUtcNow());
        stored.ShouldAllBe(r => !r.SessionId.Contains(AlgoSignalFixture.ApiKey));

        // A fresh sign-in still works there.
        using var again = new ConsoleBrowser(later.BaseAddress);
        await again.SignInAsync(AlgoSignalFixture.ApiKey);
        (await again.Http.GetAsync("/api/v1/session")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_keep_a_session_across_ingress_processes_that_share_the_keys()
    {
        var keys = Path.Combine(Path.GetTempPath(), "algosignal-keys-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var settings = new Dictionary<string, string> { ["Console:KeysPath"] = keys };
            string cookie;
            await using (var first = await fixture.StartIngressAsync(settings))
            {
                using var browser = new ConsoleBrowser(first.BaseAddress);
                await browser.SignInAsync(AlgoSignalFixture.ApiKey);
                cookie = browser.Cookie(ConsoleBrowser.SessionCookie).ShouldNotBeNull().Value;
            }

            // Another process (or the same one restarted) reads it; one with other keys does not.
            await using var second = await fixture.StartIngressAsync(settings);
            (await GetWithCookieAsync(second.BaseAddress, cookie)).ShouldBe(HttpStatusCode.OK);
            await using var stranger = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Console:KeysPath"] = keys + "-other" });
            (await GetWithCookieAsync(stranger.BaseAddress, cookie)).ShouldBe(HttpStatusCode.Unauthorized);

            // Taking the key out of Api:Keys ends the sessions opened with it.
            await using var rotated = await fixture.StartIngressAsync(new Dictionary<string, string>
            {
                ["Console:KeysPath"] = keys,
                ["Api:Keys:0"] = "a-new-key-0123456789abcdef012345",
            });
            (await GetWithCookieAsync(rotated.BaseAddress, cookie)).ShouldBe(HttpStatusCode.Unauthorized);
        }
        finally
        {
            foreach (var dir in new[] { keys, keys + "-other" }.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task<HttpStatusCode> GetWithCookieAsync(Uri baseAddress, string cookie)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/session");
        request.Headers.Add("Cookie", $"{ConsoleBrowser.SessionCookie}={cookie}");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<bool> EnabledAsync(string name)
    {
        await using var db = fixture.CreateDbContext();
        return (await db.Strategies.FindAsync(name)).ShouldNotBeNull().Enabled;
    }
}
