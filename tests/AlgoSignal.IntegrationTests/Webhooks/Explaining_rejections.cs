using System.Text;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Security;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

/// <summary>A rejection names the real mistake, repeats nothing an attacker chose, and keeps each reason in the log.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Explaining_rejections(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_name_the_unquoted_placeholder_not_one_inside_a_string()
    {
        var (status, answer) = await fixture.PostSignedAsync("""
            {"strategy":"demo","action":"buy","symbol":"{{exchange}}:{{ticker}}","price":{{close}},"quantity":1}
            """);
        status.ShouldBe(400);
        var message = answer.GetProperty("errors")[0].GetProperty("message").GetString().ShouldNotBeNull();
        message.ShouldContain("{{close}}");
        message.ShouldNotContain("{{ticker}}");
    }

    [Fact]
    public async Task Should_say_a_plain_text_message_must_be_json_and_show_the_template()
    {
        var (status, answer) = await fixture.PostSignedAsync("BUY BTCUSDT", contentType: "text/plain");
        status.ShouldBe(400);
        var message = answer.GetProperty("errors")[0].GetProperty("message").GetString().ShouldNotBeNull();
        message.ShouldContain("must be JSON");
        message.ShouldContain(JsonErrorExplainer.Template);
    }

    [Fact]
    public async Task Should_not_repeat_the_content_type_in_a_415()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"strategy":"demo","action":"buy","symbol":"X"}""");
        using var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-evil; note=<script>alert(1)</script>");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(AlgoSignalFixture.HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), bytes));
        using var response = await fixture.Http.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(415);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("application/json");
        text.ShouldNotContain("evil");
        text.ShouldNotContain("script");
    }

    [Fact]
    public async Task Should_aggregate_only_identical_reasons_in_the_webhook_log()
    {
        var since = TimeProvider.System.GetUtcNow();
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "0" });
        for (var i = 0; i < 3; i++)
        {
            (await ingress.PostAsync("/webhook", "BUY BTCUSDT")).Status.ShouldBe(400);
            (await ingress.PostAsync("/webhook", """{"strategy":"demo","action":"buy","symbol":"BTCUSDT","price":"42,5"}""")).Status.ShouldBe(400);
        }

        await ingress.App.StopAsync();

        await using var db = fixture.CreateDbContext();
        var rows = await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Status == 400 && e.Route == "signed").ToListAsync();
        var describe = string.Join("\n", rows.Select(r => $"x{r.Count}: {r.Reason}"));
        rows.Where(r => r.Reason!.Contains("must be JSON", StringComparison.Ordinal)).Sum(r => r.Count).ShouldBe(3, describe);
        rows.Where(r => r.Reason!.Contains("decimal separator", StringComparison.Ordinal)).Sum(r => r.Count).ShouldBe(3, describe);
        rows.ShouldAllBe(r => !(r.Reason!.Contains("must be JSON", StringComparison.Ordinal) && r.Reason.Contains("decimal separator", StringComparison.Ordinal)), describe);
    }
}
