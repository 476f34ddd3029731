using System.Net;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Security;

/// <summary>
/// Guessing the API key: the tests all come from 127.0.0.1, so this ingress trusts it as a proxy and
/// the client addresses are told apart by <c>X-Forwarded-For</c>.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Limiting_wrong_api_keys(AlgoSignalFixture fixture)
{
    private const int Limit = 5;

    // Long enough for the whole sequence below to fit in one window on a busy machine.
    private const int Window = 8;
    private const string WrongKey = "wrong-key-6a1f0c9e2b7d4835";

    [Fact]
    public async Task Should_refuse_an_address_with_429_after_too_many_wrong_keys_and_log_once_with_the_count()
    {
        var capture = new CapturingLoggerProvider();
        await using var ingress = await fixture.StartIngressAsync(
            new Dictionary<string, string>
            {
                ["Api:AuthFailures:PerSource"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Api:AuthFailures:WindowSeconds"] = Window.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhook:TrustedProxies:0"] = "127.0.0.1",
            },
            builder => builder.Logging.AddProvider(capture));
        const string guesser = "203.0.113.77";
        const string other = "198.51.100.20";

        for (var i = 0; i < Limit; i++)
        {
            (await GetAsync(ingress, guesser, WrongKey)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var limited = await GetAsync(ingress, guesser, WrongKey))
        {
            limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            var retryAfter = limited.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull();
            retryAfter.TotalSeconds.ShouldBeInRange(1, Window);
        }

        // The right key does not get through from the refused address (guessing cannot go on), but
        // another address is not affected.
        (await GetAsync(ingress, guesser, AlgoSignalFixture.ApiKey)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await GetAsync(ingress, other, AlgoSignalFixture.ApiKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(ingress, other, WrongKey)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // When the window has ended the address is served again, and each address's window is one line.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(Window + 15);
        string[] lines;
        do
        {
            await Task.Delay(250);
            lines = [.. capture.Lines.Where(l => l.Contains("wrong API key", StringComparison.Ordinal))];
        }
        while (lines.Length < 2 && TimeProvider.System.GetUtcNow() < deadline);

        lines.Count(l => l.Contains(guesser, StringComparison.Ordinal)).ShouldBe(1, string.Join('\n', lines));
        lines.Single(l => l.Contains(guesser, StringComparison.Ordinal)).ShouldStartWith($"Warning ");
        lines.Single(l => l.Contains(guesser, StringComparison.Ordinal)).ShouldContain($"{Limit} wrong API key(s)");
        lines.Single(l => l.Contains(guesser, StringComparison.Ordinal)).ShouldContain("2 request(s) refused with 429");
        lines.Count(l => l.Contains(other, StringComparison.Ordinal)).ShouldBe(1);
        capture.Lines.ShouldAllBe(l => !l.Contains(WrongKey, StringComparison.Ordinal) && !l.Contains(AlgoSignalFixture.ApiKey, StringComparison.Ordinal));

        (await GetAsync(ingress, guesser, AlgoSignalFixture.ApiKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_limit_wrong_keys_on_the_realtime_endpoint_too()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Api:AuthFailures:PerSource"] = "2",
            ["Api:AuthFailures:WindowSeconds"] = "30",
            ["Webhook:TrustedProxies:0"] = "127.0.0.1",
        });
        const string guesser = "203.0.113.78";
        for (var i = 0; i < 2; i++)
        {
            (await GetAsync(ingress, guesser, WrongKey, "/ws/realtime")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var limited = await GetAsync(ingress, guesser, WrongKey, "/ws/realtime");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await GetAsync(ingress, guesser, AlgoSignalFixture.ApiKey, "/api/v1/strategies")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private static async Task<HttpResponseMessage> GetAsync(IngressInstance ingress, string from, string key, string path = "/api/v1/strategies")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", from);
        request.Headers.Add("X-Api-Key", key);
        using var client = new HttpClient { BaseAddress = ingress.BaseAddress };
        return await client.SendAsync(request);
    }
}
