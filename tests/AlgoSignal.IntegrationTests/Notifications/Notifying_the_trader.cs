using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.IntegrationTests.Telemetry;
using AlgoSignal.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// Notifications over real RabbitMQ and PostgreSQL to strict in-process fakes of a signing webhook receiver, a Slack-shaped
/// webhook, the Telegram Bot API and an SMTP server: each event reaches each subscribed channel exactly once, a channel that
/// was down receives its backlog, a burst is folded into a bounded number of messages, and no secret leaves the process.
/// </summary>
public sealed class Notifying_the_trader : IAsyncLifetime
{
    private const string WebhookSecret = "notify-webhook-secret-0123456789";
    private const int MaxPerMinute = 10;

    private readonly CapturingLoggerProvider _workerLog = new();
    private FakeWebhookReceiver _receiver = null!;
    private FakeWebhookReceiver _slack = null!;
    private FakeWebhookReceiver _wrongSecret = null!;
    private FakeWebhookReceiver _daily = null!;
    private FakeTelegram _telegram = null!;
    private FakeSmtpServer _smtp = null!;
    private AlgoSignalFixture _environment = null!;
    private IHost _worker = null!;

    public async Task InitializeAsync()
    {
        _receiver = await FakeWebhookReceiver.StartAsync(WebhookSecret);
        _slack = await FakeWebhookReceiver.StartAsync(null);
        _wrongSecret = await FakeWebhookReceiver.StartAsync("another-secret-0123456789abcdef");
        _daily = await FakeWebhookReceiver.StartAsync(null);
        _telegram = await FakeTelegram.StartAsync();
        _smtp = await FakeSmtpServer.StartAsync();
        _environment = new AlgoSignalFixture(workers: 0, new Dictionary<string, string>
        {
            ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
            ["Webhook:RateLimit:PerStrategyPerMinute"] = "0",
            ["Notifications:PollIntervalSeconds"] = "0.2",
            ["Notifications:MaxBackoffSeconds"] = "1",
            ["Notifications:MaxPerMinute"] = MaxPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Webhooks:0:Url"] = _receiver.Url.ToString(),
            ["Notifications:Webhooks:0:Secret"] = WebhookSecret,
            ["Notifications:Webhooks:1:Url"] = _slack.Url.ToString(),
            ["Notifications:Webhooks:1:Format"] = "slack",
            ["Notifications:Webhooks:1:Events:0"] = "order.filled",
            ["Notifications:Webhooks:2:Url"] = _wrongSecret.Url.ToString(),
            ["Notifications:Webhooks:2:Secret"] = WebhookSecret,
            ["Notifications:Webhooks:2:Events:0"] = "alert.risk_rejected",
            ["Notifications:Webhooks:3:Url"] = _daily.Url.ToString(),
            ["Notifications:Webhooks:3:Format"] = "discord",
            ["Notifications:Webhooks:3:Events:0"] = "summary.daily",
            ["Notifications:DailySummaryAt"] = "00:00:00",
            ["Notifications:Telegram:BotToken"] = FakeTelegram.Token,
            ["Notifications:Telegram:ChatId"] = FakeTelegram.ChatId,
            ["Notifications:Telegram:ApiBaseUrl"] = _telegram.BaseUrl.ToString(),
            ["Notifications:Email:Host"] = "127.0.0.1",
            ["Notifications:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Email:UseTls"] = "false",
            ["Notifications:Email:Username"] = FakeSmtpServer.User,
            ["Notifications:Email:Password"] = FakeSmtpServer.Password,
            ["Notifications:Email:From"] = "AlgoSignal <alerts@example.com>",
            ["Notifications:Email:To:0"] = "trader@example.com",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
        });
        await _environment.InitializeAsync();

        // The worker of this environment keeps every log line, to search them for secrets.
        var builder = WorkerHost.CreateBuilder([.. _environment.Settings().Select(kv => $"--{kv.Key}={kv.Value}")]);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(_workerLog);
        _worker = builder.Build();
        await _worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _environment.DisposeAsync();
        await _receiver.DisposeAsync();
        await _slack.DisposeAsync();
        await _wrongSecret.DisposeAsync();
        await _daily.DisposeAsync();
        await _telegram.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Should_tell_each_subscribed_channel_of_a_filled_and_a_risk_rejected_alert_exactly_once()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ntf");
        var filled = await SendAsync(strategy, "NTFA", "filled");
        await SetKillSwitchAsync(true, "broker outage");
        var refused = await SendAsync(strategy, "NTFB", "risk_rejected");
        await SetKillSwitchAsync(false, null);
        var failed = await SendAsync(await AlgoSignal.IntegrationTests.Pipeline.BrokenStrategies.AddAsync(_environment), "NTFC", "failed");

        // Each default channel hears: the fill, the kill switch twice, the risk rejection, the failure.
        await WaitUntilAsync(() => _receiver.Received.Count >= 5 && _telegram.Messages.Count >= 5 && _smtp.Messages.Count >= 5 && _slack.Received.Count >= 1, "every channel told");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var events = _receiver.Received.Select(b => (b.GetProperty("event").GetString(), b.GetProperty("alert_id").ValueKind == JsonValueKind.String ? b.GetProperty("alert_id").GetGuid() : (Guid?)null)).ToList();
        events.ShouldBe([("order.filled", filled), ("kill_switch.changed", null), ("alert.risk_rejected", refused), ("kill_switch.changed", null), ("alert.failed", failed)], ignoreOrder: true);
        _receiver.Refused.ShouldBeEmpty();
        var fill = _receiver.Received.Single(b => b.GetProperty("event").GetString() == "order.filled");
        fill.GetProperty("strategy").GetString().ShouldBe(strategy);
        fill.GetProperty("symbol").GetString().ShouldBe("NTFA");
        fill.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("Filled: buy 2 NTFA @ 100");
        fill.GetProperty("data").GetProperty("filled_quantity").GetDecimal().ShouldBe(2m);
        DateTimeOffset.Parse(fill.GetProperty("occurred_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        var rejection = _receiver.Received.Single(b => b.GetProperty("event").GetString() == "alert.risk_rejected");
        rejection.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("broker outage");

        var slack = _slack.Received.ShouldHaveSingleItem();
        slack.EnumerateObject().Select(p => p.Name).ShouldBe(["text"]);
        slack.GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("NTFA");

        _telegram.Messages.Count.ShouldBe(5);
        _telegram.Refused.ShouldBeEmpty();
        _telegram.Messages.Count(m => m.Text.Contains("NTFA", StringComparison.Ordinal)).ShouldBe(1);
        _telegram.Messages.Count(m => m.Text.Contains("Risk rejected", StringComparison.Ordinal)).ShouldBe(1);

        _smtp.Messages.Count.ShouldBe(5);
        _smtp.FailedLogins.ShouldBeEmpty();
        _smtp.Messages.ShouldAllBe(m => m.To.SequenceEqual(new[] { "trader@example.com" }) && m.From == "alerts@example.com");
        _smtp.Messages.Count(m => m.Message.Subject?.StartsWith("AlgoSignal order.filled", StringComparison.Ordinal) == true).ShouldBe(1);

        // A receiver holding another secret refuses the signature: its notification stays pending with the reason.
        _wrongSecret.Received.ShouldBeEmpty();
        _wrongSecret.Refused.ShouldNotBeEmpty();
        _wrongSecret.Refused.ShouldAllBe(r => r == "signature Mismatch");
        var refusedRows = await ListAsync($"?channel=webhook:2");
        var row = refusedRows.ShouldHaveSingleItem();
        row.GetProperty("status").GetString().ShouldBe("pending");
        row.GetProperty("attempts").GetInt32().ShouldBeGreaterThan(0);
        row.GetProperty("last_error").GetString().ShouldNotBeNull().ShouldContain("401");

        var rows = await ListAsync($"?alert_id={filled}");
        rows.Select(r => r.GetProperty("channel").GetString()).ShouldBe(["webhook:0", "webhook:1", "telegram", "email"], ignoreOrder: true);
        rows.ShouldAllBe(r => r.GetProperty("status").GetString() == "delivered" && r.GetProperty("attempts").GetInt32() == 1 && r.GetProperty("event").GetString() == "order.filled");
    }

    [Fact]
    public async Task Should_deliver_the_backlog_of_a_channel_that_was_down_once_it_is_back()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("ntd");
        var before = await MetricsText.ScrapeAsync(WorkerAddress);
        _receiver.Down = true;
        _telegram.Down = true;
        await _smtp.DownAsync();
        var alerts = new List<Guid>();
        foreach (var symbol in new[] { "NTDA", "NTDB", "NTDC" })
        {
            alerts.Add(await SendAsync(strategy, symbol, "filled"));
        }

        await WaitUntilAsync(async () => (await ListAsync("?event=order.filled")).Where(r => r.GetProperty("channel").GetString() is "webhook:0" or "telegram" or "email")
            .GroupBy(r => r.GetProperty("channel").GetString()).Count(g => g.Any(r => r.GetProperty("attempts").GetInt32() > 0)) == 3, "each down channel tried and failed");
        var waiting = (await ListAsync("?event=order.filled")).Where(r => r.GetProperty("channel").GetString() is "webhook:0" or "telegram" or "email").ToList();
        waiting.Count.ShouldBe(9);
        waiting.ShouldAllBe(r => r.GetProperty("status").GetString() == "pending");
        waiting.Where(r => r.GetProperty("attempts").GetInt32() > 0).ShouldAllBe(r => r.GetProperty("last_error").GetString() != null);
        _receiver.Received.ShouldBeEmpty();
        _telegram.Messages.ShouldBeEmpty();
        _smtp.Messages.ShouldBeEmpty();

        // Back — Telegram first asks to wait (flood control), which is honoured.
        _telegram.FloodAnswers = 1;
        _telegram.RetryAfterSeconds = 2;
        _telegram.Down = false;
        _receiver.Down = false;
        await _smtp.UpAsync();
        await WaitUntilAsync(() => _receiver.Received.Count >= 3 && _telegram.Messages.Count >= 3 && _smtp.Messages.Count >= 3, "the backlog delivered", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));

        _receiver.Received.Select(b => b.GetProperty("alert_id").GetGuid()).ShouldBe(alerts, "in order, each once");
        _telegram.Messages.Select(m => m.Text[(m.Text.IndexOf("NTD", StringComparison.Ordinal))..][..4]).ShouldBe(["NTDA", "NTDB", "NTDC"]);
        _telegram.TooEarly.ShouldBeEmpty("retry_after is honoured");
        _telegram.LastFlood.ShouldNotBeNull();
        _smtp.Messages.Count.ShouldBe(3);
        (await ListAsync("?event=order.filled")).ShouldAllBe(r => r.GetProperty("status").GetString() == "delivered");

        var after = await MetricsText.ScrapeAsync(WorkerAddress);
        MetricsText.Delta(before, after, "algosignal_notifications_total", ("channel", "webhook"), ("outcome", "retried")).ShouldBeGreaterThanOrEqualTo(1);
        MetricsText.Delta(before, after, "algosignal_notifications_total", ("channel", "telegram"), ("outcome", "retried")).ShouldBeGreaterThanOrEqualTo(2, "down, then flood control");
        MetricsText.Delta(before, after, "algosignal_notifications_total", ("channel", "email"), ("outcome", "delivered")).ShouldBe(3);
    }

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
        await Task.Delay(TimeSpan.FromSeconds(1));

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
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var summary = _daily.Received.ShouldHaveSingleItem("one summary a day");
        summary.EnumerateObject().Select(p => p.Name).ShouldBe(["content"], "the Discord shape");
        summary.GetProperty("content").GetString().ShouldNotBeNull().ShouldStartWith($"Daily summary ({DateTimeOffset.UtcNow:yyyy-MM-dd}");
        _receiver.Received.ShouldNotContain(b => b.GetProperty("event").GetString() == "summary.daily", "not subscribed by default");
    }

    private Uri WorkerAddress => _worker.Services.GetRequiredService<AlgoSignal.Worker.Telemetry.WorkerEndpoint>().Addresses.ShouldHaveSingleItem();

    private async Task<Guid> SendAsync(string strategy, string symbol, string expected)
    {
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":2}""");
        status.ShouldBe(202, body.ToString());
        var id = body.GetProperty("alert_id").GetGuid();
        (await _environment.WaitForFinalAsync(id)).GetProperty("status").GetString().ShouldBe(expected);
        return id;
    }

    private async Task SetKillSwitchAsync(bool enabled, string? reason) =>
        (await _environment.Http.PostAsJsonAsync("/api/v1/kill-switch", new { enabled, reason })).EnsureSuccessStatusCode();

    private async Task<List<JsonElement>> ListAsync(string query) =>
        (await _environment.Http.GetFromJsonAsync<List<JsonElement>>("/api/v1/notifications" + query)).ShouldNotBeNull();

    private static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached in time: {what}");
            }

            await Task.Delay(100);
        }
    }
}
