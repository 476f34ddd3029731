using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.Worker.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

// Bursts folded under the rate limit, secrets kept in, and the daily summary.
public sealed partial class Notifying_the_trader
{
    [Fact]
    public async Task Should_fold_a_burst_of_200_rejections_into_a_bounded_number_of_messages()
    {
        _receiver.Down = true;
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var batch = 0; batch < 10; batch++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _environment.PostSignedAsync(
                $$"""{"strategy":"{{unknown}}","action":"buy","symbol":"B{{batch * 20 + i}}","price":1}""")));
            answers.ShouldAllBe(a => a.Status == 202);
            ids.AddRange(answers.Select(a => a.Body.GetProperty("alert_id").GetGuid()));
        }

        await WaitUntilAsync(async () =>
        {
            await using var db = _environment.CreateDbContext();
            return await db.Notifications.CountAsync(n => n.Channel == "webhook:0" && n.Event == "alert.rejected") == 200;
        }, "every rejection told", TimeSpan.FromSeconds(60));
        await WaitUntilAsync(() => _telegram.Messages.Count >= MaxPerMinute, "telegram used its minute");
        _receiver.Down = false;
        await WaitUntilAsync(async () =>
        {
            await using var db = _environment.CreateDbContext();
            return await db.Notifications.CountAsync(n => n.Channel == "webhook:0" && n.Status == "pending") == 0;
        }, "the webhook's backlog delivered");

        // The dispatcher stopped with every round finished, then one more round of Telegram's, whose minute is used up.
        var dispatcher = _worker.Services.GetServices<IHostedService>().OfType<NotificationDispatcher>().Single();
        await dispatcher.StopAsync(CancellationToken.None);
        var telegram = _worker.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.Channels().Single(c => c.Name == NotificationChannelKinds.Telegram);
        await dispatcher.DeliverAsync(telegram, CancellationToken.None);

        // Live (Telegram) or after an outage (the webhook): never more than the limit a minute, nothing lost.
        _telegram.Messages.Count.ShouldBe(MaxPerMinute);
        _receiver.Received.Count.ShouldBe(MaxPerMinute);
        var summary = _receiver.Received.Last();
        summary.GetProperty("event").GetString().ShouldBe("summary");
        summary.GetProperty("data").GetProperty("count").GetInt32().ShouldBe(200 - (MaxPerMinute - 1));
        summary.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain($"and {200 - (MaxPerMinute - 1) - 5} more: {200 - (MaxPerMinute - 1) - 5} alert.rejected");
        await using var check = _environment.CreateDbContext();
        var rows = await check.Notifications.Where(n => n.Channel == "webhook:0").ToListAsync();
        rows.Count(r => r.Status == "delivered").ShouldBe(MaxPerMinute);
        rows.Count(r => r.Status == "folded").ShouldBe(200 - MaxPerMinute);
        rows.Where(r => r.Status == "folded").Select(r => r.FoldedInto).Distinct().ShouldHaveSingleItem();
        rows.Select(r => r.AlertId!.Value).ShouldBe(ids, ignoreOrder: true);
    }

    [Fact]
    public async Task Should_keep_channel_secrets_out_of_logs_answers_and_stored_notifications()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("nts");
        _telegram.Down = true;
        var alert = await SendAsync(strategy, "NTSA", "filled");
        await WaitUntilAsync(async () => (await ListAsync("?channel=telegram")).Any(r => r.GetProperty("attempts").GetInt32() > 0), "telegram tried while down");
        _telegram.Down = false;
        (await _environment.Http.PostAsync("/api/v1/notifications/test", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        await WaitUntilAsync(() => _telegram.Messages.Count >= 2 && _smtp.Messages.Count >= 2 && _receiver.Received.Count >= 2, "the fill and the test delivered");
        _telegram.Messages.Count(m => m.Text.Contains("test notification", StringComparison.Ordinal)).ShouldBe(1);

        string[] secrets = [FakeTelegram.Token, FakeTelegram.Token.Split(':')[1], FakeSmtpServer.Password, WebhookSecret];
        var answers = new List<string>
        {
            await _environment.Http.GetStringAsync("/api/v1/notifications?limit=1000"),
            await _environment.Http.GetStringAsync($"/api/v1/alerts/{alert}"),
            await _environment.Http.GetStringAsync("/openapi/v1.json"),
        };
        using (var health = await _environment.Http.GetAsync("/api/v1/health"))
        {
            answers.Add(await health.Content.ReadAsStringAsync());
        }

        await using var db = _environment.CreateDbContext();
        var stored = (await db.Notifications.ToListAsync()).Select(n => $"{n.Text} {n.Data} {n.LastError} {n.Channel}")
            .Concat((await db.NotificationChannels.ToListAsync()).Select(c => $"{c.Channel} {c.LastError}"));
        _workerLog.Lines.Count.ShouldBeGreaterThan(0);
        _workerLog.Lines.ShouldContain(l => l.Contains("telegram", StringComparison.Ordinal) && l.Contains("502", StringComparison.Ordinal), "the failure itself is logged");
        foreach (var text in answers.Concat(stored).Concat(_workerLog.Lines))
        {
            foreach (var secret in secrets)
            {
                text.ShouldNotContain(secret, Case.Sensitive, $"a secret leaks: {text}");
            }
        }
    }

    [Fact]
    public async Task Should_send_the_daily_summary_once_to_the_channels_that_subscribe_to_it()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ntday");
        await SendAsync(strategy, "NTDY", "filled");
        await WaitUntilAsync(() => _daily.Received.Count >= 1, "the daily summary delivered");
        await WaitUntilSettledAsync();

        var summary = _daily.Received.ShouldHaveSingleItem("one summary a day");
        summary.EnumerateObject().Select(p => p.Name).ShouldBe(["content"], "the Discord shape");
        summary.GetProperty("content").GetString().ShouldNotBeNull().ShouldStartWith($"Daily summary ({DateTimeOffset.UtcNow:yyyy-MM-dd}");
        _receiver.Received.ShouldNotContain(b => b.GetProperty("event").GetString() == "summary.daily", "not subscribed by default");
    }
}
