using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Keeping_secrets(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_never_write_a_secret_to_logs_the_webhook_log_or_stored_payloads()
    {
        var capture = new CapturingLoggerProvider();
        var (_, token) = await fixture.CreateStrategyAsync("sec");
        var passphrase = "pass-" + Guid.NewGuid().ToString("N");
        await using (var ingress = await fixture.StartIngressAsync(
            new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Verbose" },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddProvider(capture);
            }))
        {
            var signed = await ingress.PostAsync("/webhook", $$"""{"strategy":"demo","action":"buy","symbol":"SECRET1","price":1,"passphrase":"{{passphrase}}"}""");
            signed.Status.ShouldBe(202);
            var viaToken = await ingress.PostAsync($"/webhook/tradingview/{token}", $$"""{"action":"buy","symbol":"SECRET2","price":1,"api_key":"{{passphrase}}"}""", sign: false);
            viaToken.Status.ShouldBe(202);
            (await ingress.PostAsync($"/webhook/tradingview/{token[..^1]}x", """{"action":"buy","symbol":"X"}""", sign: false)).Status.ShouldBe(401);
            (await ingress.PostAsync("/webhook", $$"""{"strategy":"demo","action":"buy","symbol":"X","secret":"{{passphrase}}"}""", signature: "t=1,v1=" + new string('1', 64))).Status.ShouldBe(401);
            (await ingress.PostAsync("/webhook", $$"""{"strategy":"demo","action":"nope","symbol":"X","token":"{{passphrase}}"}""")).Status.ShouldBe(400);
            using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts");
            wrongKey.Headers.Add("X-Api-Key", AlgoSignalFixture.ApiKey + "x");
            using var wrongKeyClient = new HttpClient { BaseAddress = ingress.BaseAddress };
            (await wrongKeyClient.SendAsync(wrongKey)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);

            await fixture.WaitForFinalAsync(signed.Body.GetProperty("alert_id").GetGuid());
            await fixture.WaitForFinalAsync(viaToken.Body.GetProperty("alert_id").GetGuid());
        }

        capture.Lines.Count.ShouldBeGreaterThan(0);
        string[] secrets = [AlgoSignalFixture.HmacSecret, AlgoSignalFixture.ApiKey, token, token[..^1], passphrase, TestServices.RabbitPassword == "guest" ? "\u0000" : TestServices.RabbitPassword];
        foreach (var line in capture.Lines)
        {
            foreach (var secret in secrets)
            {
                line.ShouldNotContain(secret, Case.Sensitive, $"a log line leaks a secret: {line}");
            }
        }

        await using var db = fixture.CreateDbContext();
        var stored = (await db.Alerts.Select(a => a.Payload).ToListAsync()).Where(p => p.Contains("SECRET1", StringComparison.Ordinal) || p.Contains("SECRET2", StringComparison.Ordinal)).ToList();
        stored.Count.ShouldBe(2);
        var logged = (await db.WebhookLog.ToListAsync()).Select(e => (e.Payload ?? "") + " " + (e.Reason ?? "")).ToList();
        foreach (var text in stored.Concat(logged))
        {
            text.ShouldNotContain(passphrase);
            text.ShouldNotContain(token[..^1]);
        }
    }
}
