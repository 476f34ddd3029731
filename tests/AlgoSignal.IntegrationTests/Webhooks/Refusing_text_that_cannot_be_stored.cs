using System.Text.Json;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

/// <summary>A 202 is never lost: what PostgreSQL cannot store is refused at the edge, and the webhook log keeps every request.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Refusing_text_that_cannot_be_stored(AlgoSignalFixture fixture)
{
    public static TheoryData<string, string> Nul() => new()
    {
        { "message", "\"symbol\":\"MARK\",\"message\":\"before\\u0000after\"" },
        { "symbol", "\"symbol\":\"MARK\\u0000\"" },
        { "alert_id", "\"symbol\":\"MARK\",\"alert_id\":\"id\\u0000\"" },
        { "extra.notes[1].text", "\"symbol\":\"MARK\",\"extra\":{\"notes\":[\"ok\",{\"text\":\"\\u0000\"}]}" },
    };

    [Theory]
    [MemberData(nameof(Nul))]
    public async Task Should_refuse_NUL_anywhere_with_a_400_naming_the_field_and_log_the_request(string field, string members)
    {
        var marker = "NUL" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var since = TimeProvider.System.GetUtcNow();

        // An ingress of its own: other tests' identical rejections would be counted into one aggregate row.
        await using var ingress = await fixture.StartIngressAsync();
        var (status, answer, response) = await ingress.PostAsync("/webhook", "{\"strategy\":\"demo\",\"action\":\"buy\"," + members.Replace("MARK", marker, StringComparison.Ordinal) + ",\"tag\":\"" + marker + "\"}");
        response.Dispose();

        status.ShouldBe(400);
        var error = answer.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("NUL");
        var row = await WaitForLogRowAsync(marker, since);
        row.Status.ShouldBe(400);
        row.Reason.ShouldNotBeNull().ShouldContain(field);
    }

    [Fact]
    public async Task Should_refuse_a_NUL_in_the_strategy_name()
    {
        var (status, answer) = await fixture.PostSignedAsync("""{"strategy":"demo\u0000","action":"buy","symbol":"BTCUSDT"}""");
        status.ShouldBe(400);
        answer.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("strategy");
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff tail")]
    [InlineData("head \\ud83d")]
    public async Task Should_refuse_a_lone_surrogate_with_a_400_and_a_log_row(string text)
    {
        var marker = "SUR" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var since = TimeProvider.System.GetUtcNow();
        // A field of the test's own: identical reasons from one address are aggregated into one row.
        var field = "note_" + marker;
        var (status, answer) = await fixture.PostSignedAsync($$"""{"strategy":"demo","action":"buy","symbol":"{{marker}}","{{field}}":"{{text}}"}""");

        status.ShouldBe(400);
        var error = answer.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("surrogate");
        var row = await WaitForLogRowAsync(marker, since);
        row.Status.ShouldBe(400);
    }

    [Theory]
    [InlineData("quantity", "1e28")]
    [InlineData("quantity", "\"1e20\"")]
    [InlineData("price", "79228162514264337593543950335")]
    [InlineData("position_size", "1e15")]
    [InlineData("take_profit", "0.00000000000000001")]
    public async Task Should_refuse_a_number_no_order_can_hold_with_a_400_naming_the_field(string field, string value)
    {
        var (status, answer) = await fixture.PostSignedAsync($$"""{"strategy":"demo","action":"buy","symbol":"BIGNUM","{{field}}":{{value}}}""");
        status.ShouldBe(400);
        answer.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem().GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Should_accept_the_largest_quantity_and_settle_the_alert()
    {
        var (name, _) = await fixture.CreateStrategyAsync("big");
        var (status, answer) = await fixture.PostSignedAsync($$"""{"strategy":"{{name}}","action":"buy","symbol":"BIGQTY","price":1000000000000,"quantity":1000000000000}""");
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(answer.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldNotBe("failed", story.ToString());
    }

    [Fact]
    public async Task Should_keep_every_neighbour_row_when_a_request_carries_NUL()
    {
        var marker = "NB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var since = TimeProvider.System.GetUtcNow();
        var (name, _) = await fixture.CreateStrategyAsync("nb");
        var posts = Enumerable.Range(0, 6).Select(i => fixture.PostSignedAsync(i == 3
            ? $$"""{"strategy":"{{name}}","action":"buy","symbol":"{{marker}}","price":1,"m{{marker}}":"x\u0000y"}"""
            : $$"""{"strategy":"{{name}}","action":"buy","symbol":"{{marker}}","price":1,"alert_id":"{{marker}}-{{i}}"}"""));
        var answers = await Task.WhenAll(posts);
        answers.Count(a => a.Status == 202).ShouldBe(5);
        answers.Count(a => a.Status == 400).ShouldBe(1);

        await using var db = fixture.CreateDbContext();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        var rows = 0;
        while (rows < 6 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
            rows = (await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Payload != null).Select(e => e.Payload!).ToListAsync())
                .Count(p => p.Contains(marker, StringComparison.Ordinal));
        }

        rows.ShouldBe(6);
        foreach (var accepted in answers.Where(a => a.Status == 202))
        {
            (await fixture.WaitForFinalAsync(accepted.Body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldNotBe("failed");
        }
    }

    [Fact]
    public async Task Should_store_a_sanitised_row_and_isolate_a_refused_one_without_losing_its_batch()
    {
        var capture = new CapturingLoggerProvider();
        await using var ingress = await fixture.StartIngressAsync(configure: b => b.Logging.AddProvider(capture));
        var log = ingress.App.Services.GetRequiredService<WebhookLog>();
        var marker = "ISO" + Guid.NewGuid().ToString("N")[..8];
        var now = TimeProvider.System.GetUtcNow();
        WebhookLogEntry Entry(string reason, string? payload) => new(now, "signed", "127.0.0.1", 202, marker + " " + reason, Guid.NewGuid(), "demo\u0000", payload);

        log.Record(Entry("first", """{"ok":1}"""));
        log.Record(Entry("nul\u0000in reason \ud800", """{"m":"a\u0000b","n":"\ud800"}"""));
        log.Record(Entry("huge", """{"n":1e999999}"""));
        log.Record(Entry("not json", "BUY BTCUSDT"));
        log.Record(Entry("last", """{"ok":2}"""));
        await ingress.App.StopAsync();

        await using var db = fixture.CreateDbContext();
        var rows = await db.WebhookLog.Where(e => e.Reason != null && e.Reason.StartsWith(marker)).OrderBy(e => e.Id).ToListAsync();
        rows.Select(r => r.Reason![(marker.Length + 1)..].Split(' ')[0]).ShouldBe(["first", "nul\uFFFDin", "huge", "not", "last"], string.Join("\n", capture.Lines));
        rows.ShouldAllBe(r => r.Strategy == "demo\uFFFD");
        JsonDocument.Parse(rows[1].Payload!).RootElement.GetProperty("m").GetString().ShouldBe("a\uFFFDb");
        (rows[2].Payload is null).ShouldBeTrue("the payload PostgreSQL refused is left out");
        rows[2].Reason.ShouldNotBeNull().ShouldContain("payload not stored");
        JsonDocument.Parse(rows[3].Payload!).RootElement.GetString().ShouldBe("BUY BTCUSDT");
    }

    private async Task<AlgoSignal.Persistence.Entities.WebhookLogEntity> WaitForLogRowAsync(string marker, DateTimeOffset since)
    {
        await using var db = fixture.CreateDbContext();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (true)
        {
            var row = (await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Payload != null).ToListAsync())
                .FirstOrDefault(e => e.Payload!.Contains(marker, StringComparison.Ordinal));
            if (row is not null)
            {
                return row;
            }

            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, $"no webhook-log row for {marker}");
            await Task.Delay(100);
        }
    }
}
