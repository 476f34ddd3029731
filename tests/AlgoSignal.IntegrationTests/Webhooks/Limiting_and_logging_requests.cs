using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Limiting_and_logging_requests(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_answer_429_with_retry_after_past_the_per_source_limit()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "3" });
        var statuses = new List<int>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            var (status, _, response) = await ingress.PostAsync("/webhook", $$"""{"strategy":"demo","action":"buy","symbol":"RL{{i}}","price":1}""");
            statuses.Add(status);
            last = response;
        }

        statuses.ShouldBe([202, 202, 202, 429]);
        last!.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Should_answer_429_past_the_per_strategy_limit_but_not_for_other_strategies()
    {
        var (other, _) = await fixture.CreateStrategyAsync("rs");
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
            ["Webhook:RateLimit:PerStrategyPerMinute"] = "2",
        });
        (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"A","price":1}""")).Status.ShouldBe(202);
        (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"B","price":1}""")).Status.ShouldBe(202);
        (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"C","price":1}""")).Status.ShouldBe(429);
        (await ingress.PostAsync("/webhook", $$"""{"strategy":"{{other}}","action":"buy","symbol":"C","price":1}""")).Status.ShouldBe(202);
    }

    [Fact]
    public async Task Should_log_accepted_and_rejected_requests_with_reasons()
    {
        var marker = "LOG" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var (_, accepted) = await fixture.PostSignedAsync($$"""{"strategy":"demo","action":"buy","symbol":"{{marker}}","price":1}""");
        var alertId = accepted.GetProperty("alert_id").GetGuid();

        JsonElement[] rows = [];
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            rows = await fixture.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/webhook-log?alert_id={alertId}") ?? [];
            if (rows.Length > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        var row = rows.ShouldHaveSingleItem();
        row.GetProperty("status").GetInt32().ShouldBe(202);
        row.GetProperty("route").GetString().ShouldBe("signed");
        row.GetProperty("source_ip").GetString().ShouldBe("127.0.0.1");
        row.GetProperty("payload").GetProperty("symbol").GetString().ShouldBe(marker);
    }

    [Fact]
    public async Task Should_store_a_flood_of_rejections_as_a_few_rows_with_a_count()
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "0" });
        var since = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < 300; i++)
        {
            (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"X"}""", signature: $"t=1,v1={new string('0', 64)}")).Status.ShouldBe(401);
        }

        // Stopping the ingress closes the open aggregation window and writes what is left.
        await ingress.App.StopAsync();

        await using var db = fixture.CreateDbContext();
        var rows = await db.WebhookLog.Where(e => e.Status == 401 && e.ReceivedAt >= since && e.Route == "signed").ToListAsync();
        rows.Count.ShouldBeLessThanOrEqualTo(2);
        rows.Sum(r => r.Count).ShouldBe(300);
        rows.ShouldAllBe(r => r.Payload == null);
    }
}
