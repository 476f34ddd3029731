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

    [Fact]
    public async Task Should_redact_secrets_nested_under_secret_named_keys_in_storage_and_answers()
    {
        var marker = "NEST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var secret = "hunter2-" + Guid.NewGuid().ToString("N");
        var body = $$$"""
            {"strategy":"demo","action":"buy","symbol":"{{{marker}}}","price":1,
             "auth":{"user":"bob","pass":"{{{secret}}}"},"credentials":["{{{secret}}}",{"value":"{{{secret}}}"}],
             "extra":{"accessKey":"{{{secret}}}","user_key":"{{{secret}}}","jwt":"{{{secret}}}","sig":"{{{secret}}}"}}
            """;
        var (status, answer) = await fixture.PostSignedAsync(body);
        status.ShouldBe(202);
        var alertId = answer.GetProperty("alert_id").GetGuid();
        var story = await fixture.WaitForFinalAsync(alertId);
        story.ToString().ShouldNotContain(secret);
        (await fixture.PostSignedAsync(body.Replace("\"buy\"", $"\"no{marker}\"", StringComparison.Ordinal))).Status.ShouldBe(400);

        await using var db = fixture.CreateDbContext();
        var stored = await db.Alerts.Where(a => a.AlertId == alertId).Select(a => a.Payload).SingleAsync();
        stored.ShouldContain(marker);
        stored.ShouldNotContain(secret);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        List<string?> logged;
        do
        {
            await Task.Delay(100);
            logged = (await db.WebhookLog.AsNoTracking().Where(e => e.Payload != null).Select(e => e.Payload).ToListAsync())
                .Where(p => p!.Contains(marker, StringComparison.Ordinal)).ToList();
        }
        while (logged.Count < 2 && TimeProvider.System.GetUtcNow() < deadline);

        logged.Count.ShouldBe(2, "the accepted and the rejected request are both in the webhook log");
        logged.ShouldAllBe(p => !p!.Contains(secret));
        var list = await fixture.Http.GetStringAsync($"/api/v1/webhook-log?alert_id={alertId}");
        list.ShouldContain(marker);
        list.ShouldNotContain(secret);
        (await fixture.Http.GetStringAsync("/api/v1/webhook-log?status=400&limit=1000")).ShouldNotContain(secret);
        (await fixture.Http.GetStringAsync("/api/v1/alerts")).ShouldNotContain(secret);
    }
}
