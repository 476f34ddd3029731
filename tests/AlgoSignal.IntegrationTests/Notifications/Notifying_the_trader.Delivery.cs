using System.Text.Json;
using AlgoSignal.IntegrationTests.Telemetry;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

// Each event to each subscribed channel once, and a down channel's backlog once it is back.
public sealed partial class Notifying_the_trader
{
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
        await WaitUntilSettledAsync(except: "webhook:2");

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
        await WaitUntilSettledAsync();

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
}
