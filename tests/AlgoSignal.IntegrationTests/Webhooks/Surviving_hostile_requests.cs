using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.Security;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Surviving_hostile_requests(AlgoSignalFixture fixture)
{
    public static TheoryData<string, string, int> Catalogue() => new()
    {
        { "empty", "", 400 },
        { "whitespace", "  \r\n\t ", 400 },
        { "array", """[{"strategy":"demo","action":"buy","symbol":"X"}]""", 400 },
        { "string", "\"buy\"", 400 },
        { "number", "42", 400 },
        { "null", "null", 400 },
        { "deep nesting", "{\"strategy\":\"demo\",\"a\":" + new string('[', 5000) + new string(']', 5000) + "}", 400 },
        { "huge number", """{"strategy":"demo","action":"buy","symbol":"X","price":1e999999}""", 400 },
        { "long number", "{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"X\",\"quantity\":" + new string('9', 5000) + "}", 400 },
        { "NaN string", """{"strategy":"demo","action":"buy","symbol":"X","price":"NaN"}""", 400 },
        { "Infinity string", """{"strategy":"demo","action":"buy","symbol":"X","price":"-Infinity"}""", 400 },
        { "bare NaN", """{"strategy":"demo","action":"buy","symbol":"X","price":NaN}""", 400 },
        { "duplicate keys", """{"strategy":"demo","action":"buy","symbol":"X","symbol":"Y"}""", 400 },
        { "trailing comma", """{"strategy":"demo","action":"buy",}""", 400 },
        { "comments", """{"strategy":"demo" /* hi */,"action":"buy","symbol":"X"}""", 400 },
        { "smart quotes", "{\u201Cstrategy\u201D:\u201Cdemo\u201D}", 400 },
        { "unquoted placeholder", """{"strategy":"demo","action":"buy","symbol":"X","price":{{close}}}""", 400 },
        { "truncated", """{"strategy":"demo","action":"bu""", 400 },
        { "control characters", "{\"strategy\":\"demo\u0001\",\"action\":\"buy\",\"symbol\":\"X\"}", 400 },
        { "object as value", """{"strategy":{"$ne":null},"action":"buy","symbol":"X"}""", 400 },
        { "sql-ish symbol", """{"strategy":"demo","action":"buy","symbol":"X'; DROP TABLE alerts;--"}""", 400 },
        { "script message", """{"strategy":"demo","action":"buy","symbol":"X","message":"<script>alert(1)</script>","price":"abc"}""", 400 },
        { "overlong strategy", "{\"strategy\":\"" + new string('s', 1000) + "\",\"action\":\"buy\",\"symbol\":\"X\"}", 400 },
        { "too large", "{\"message\":\"" + new string('x', 70_000) + "\"}", 413 },
        { "NUL in message", """{"strategy":"demo","action":"buy","symbol":"X","message":"a\u0000b"}""", 400 },
        { "NUL in symbol", """{"strategy":"demo","action":"buy","symbol":"X\u0000"}""", 400 },
        { "NUL in a key", """{"strategy":"demo","action":"buy","symbol":"X","a\u0000b":1}""", 400 },
        { "NUL nested", """{"strategy":"demo","action":"buy","symbol":"X","extra":{"list":["\u0000"]}}""", 400 },
        { "lone high surrogate", """{"strategy":"demo","action":"buy","symbol":"X","message":"\ud800"}""", 400 },
        { "lone low surrogate", """{"strategy":"demo","action":"buy","symbol":"X","alert_id":"x\udc00"}""", 400 },
        { "surrogate in a key", """{"strategy":"demo","action":"buy","symbol":"X","\udbff":"v"}""", 400 },
        { "forged log line in alert_id", """{"strategy":"demo","action":"buy","symbol":"X","alert_id":"a\n[11:59:59 ERR] FORGED kill switch disabled"}""", 400 },
        { "terminal escape in alert_id", """{"strategy":"demo","action":"buy","symbol":"X","alert_id":"a\u001b[2J"}""", 400 },
        { "huge quantity", """{"strategy":"demo","action":"buy","symbol":"X","quantity":1e28}""", 400 },
        { "huge quoted price", """{"strategy":"demo","action":"buy","symbol":"X","price":"79228162514264337593543950335"}""", 400 },
        { "huge extra number", """{"strategy":"demo","action":"buy","symbol":"X","extra":1e999999}""", 400 },
        { "tiny extra number", """{"strategy":"demo","action":"buy","symbol":"X","extra":1e-999999}""", 400 },
    };

    /// <summary>Values injected into a valid alert: text PostgreSQL refuses, control characters, numbers at and past the bounds.</summary>
    private static readonly string[] Injections =
    [
        "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\"", "\"\\ud83d\\ude80\"", "\"line\\nbreak\"", "\"\\u001b[31m\"", "\"\\u2028\"", "\"\\r\\n[00:00:00 ERR] x\"",
        "1e28", "1e999999", "-1e13", "79228162514264337593543950336", "0.0000000000001", "1000000000000", "1e-999", "0",
    ];

    private static readonly string[] InjectedFields = ["message", "alert_id", "symbol", "quantity", "price", "position_size", "extra", "nested"];

    [Theory]
    [MemberData(nameof(Catalogue))]
    public async Task Should_answer_a_clear_4xx(string name, string body, int expected)
    {
        var (status, answer) = await fixture.PostSignedAsync(body);
        status.ShouldBe(expected, name);
        answer.GetProperty("status").GetString().ShouldBe("rejected", name);
        answer.GetProperty("errors").GetArrayLength().ShouldBeGreaterThan(0, name);
    }

    [Fact]
    public async Task Should_reject_bytes_that_are_not_utf8()
    {
        byte[] body = [(byte)'{', 0xFF, 0xFE, 0xC3, 0x28, (byte)'}'];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(AlgoSignalFixture.HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body));
        using var response = await fixture.Http.SendAsync(request);
        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync()).ShouldContain("UTF-8");
    }

    /// <summary>
    /// The fuzz run: 2,500 generated hostile requests in the suite, 10,000 or more with
    /// <c>ALGOSIGNAL_FUZZ_REQUESTS=10000</c> (the long variant).
    /// </summary>
    [Fact]
    public async Task Should_stay_healthy_with_steady_memory_after_thousands_of_hostile_requests()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("ALGOSIGNAL_FUZZ_REQUESTS"), out var configured) ? configured : 2_500;
        var capture = new CapturingLoggerProvider();
        await using var ingress = await fixture.StartIngressAsync(
            new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "0" },
            builder => builder.Logging.AddProvider(capture));
        var random = new Random(20261121);

        // The shared ingress may still hold summaries of rejections other tests sent; closed now, they
        // are stamped before this run, so the count below sees this run's rows only.
        fixture.IngressServices.GetRequiredService<AlgoSignal.Ingress.Webhooks.WebhookLog>().FlushAggregates(all: true);
        var since = TimeProvider.System.GetUtcNow();
        var sent = 0;
        var accepted = new List<Guid>();
        var catalogue = Catalogue().Select(row => (string)row[1]).ToList();

        async Task FloodAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var body = (i % 4) switch
                {
                    0 => catalogue[random.Next(catalogue.Count)],
                    1 => Encoding.Latin1.GetString(Fuzz.RandomBytes(random, random.Next(0, 2048))),
                    2 => Inject(random),
                    _ => Fuzz.Mutate(random, """{"strategy":"demo","action":"buy","symbol":"BINANCE:BTCUSDT","price":42000,"quantity":1}"""),
                };
                var signed = i % 2 == 0 || i % 4 == 2;
                var (status, answer, response) = await ingress.PostAsync("/webhook", body, sign: signed, signature: signed ? null : "t=0,v1=" + new string('f', 64));
                response.Dispose();
                sent++;
                status.ShouldBeInRange(200, 499, $"request {i} answered {status}: {body}");
                if (status == 202)
                {
                    accepted.Add(answer.GetProperty("alert_id").GetGuid());
                }
            }
        }

        await FloodAsync(requests / 5);
        var before = Settle();
        await FloodAsync(requests - (requests / 5));
        var after = Settle();

        capture.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
            .ShouldBeEmpty("no unhandled exception or error while under attack");
        (after - before).ShouldBeLessThan(64L * 1024 * 1024, $"managed memory grew from {before:N0} to {after:N0} bytes");
        var ready = await ingress.Http.GetFromJsonAsync<JsonElement>("/health/ready");
        ready.GetProperty("status").GetString().ShouldBe("healthy");
        (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"AFTERFLOOD","price":1}""")).Status.ShouldBe(202);
        sent++;

        // Guarantee 1 (docs/architecture.md, "Guarantees"): every 202 ends in a visible, final state; no hostile value makes one fail.
        foreach (var alertId in accepted)
        {
            var story = await fixture.WaitForFinalAsync(alertId, TimeSpan.FromSeconds(60));
            story.GetProperty("status").GetString().ShouldNotBe("failed", story.ToString());
        }

        // Every request has its webhook-log row (alone or counted in an aggregate); stopping writes the open windows.
        await ingress.App.StopAsync();
        await using var db = fixture.CreateDbContext();
        var logged = await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && (e.Route == "signed" || e.Route == "*")).SumAsync(e => e.Count);
        logged.ShouldBe(sent);
    }

    private static string Inject(Random random)
    {
        var field = InjectedFields[random.Next(InjectedFields.Length)];
        var value = Injections[random.Next(Injections.Length)];
        if (field == "nested")
        {
            return "{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"FUZZ\",\"price\":1,\"nested\":{\"list\":[1," + value + "]}}";
        }

        return field is "symbol"
            ? $$"""{"strategy":"demo","action":"buy","symbol":{{value}},"price":1}"""
            : $$"""{"strategy":"demo","action":"buy","symbol":"FUZZ","price":1,"{{field}}":{{value}}}""";
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
