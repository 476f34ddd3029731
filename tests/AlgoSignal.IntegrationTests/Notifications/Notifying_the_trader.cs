using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// Notifications over real RabbitMQ and PostgreSQL to strict in-process fakes of a signing webhook receiver, a Slack-shaped
/// webhook, the Telegram Bot API and an SMTP server: each event reaches each subscribed channel exactly once, a channel that
/// was down receives its backlog, a burst is folded into a bounded number of messages, and no secret leaves the process.
/// </summary>
public sealed partial class Notifying_the_trader : IAsyncLifetime
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
        _worker = await LoggedWorker.StartAsync(_environment, _workerLog);
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

    /// <summary>
    /// Until no notification is left to deliver (a channel that keeps refusing, <paramref name="except"/>, after its first
    /// attempt): a delivered row is never sent again, so nothing more reaches the fakes.
    /// </summary>
    private Task WaitUntilSettledAsync(string? except = null) =>
        WaitUntilAsync(async () =>
        {
            await using var db = _environment.CreateDbContext();
            return !await db.Notifications.AnyAsync(n => n.Status == NotificationStatuses.Pending && (n.Channel != except || n.Attempts == 0));
        }, "every notification delivered");

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
