using AlgoSignal.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

public sealed partial class Notifying_the_trader
{
    [Fact]
    public async Task Should_tell_of_degraded_market_data_once_with_its_score_and_findings()
    {
        var degraded = new DataQualityDegraded("BINANCE", "NTFQUALITY", "1h", 0.75, "warning",
            ["accuracy/ohlc_violation: high below close at 2026-12-01T10:00:00Z", "timeliness/stale: last bar 3 h old", "completeness/gap: 2 bars missing"]);
        var bus = _worker.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();

        // The same message delivered twice (a redelivery) is one notification; a later series' message marks when both were handled.
        await bus.Publish(degraded, c => c.MessageId = messageId);
        await bus.Publish(degraded, c => c.MessageId = messageId);
        await bus.Publish(degraded with { Symbol = "NTFMARKER" });
        await WaitUntilAsync(async () => (await ListAsync("?event=data_quality.degraded")).Count(r => r.GetProperty("status").GetString() == "delivered") >= 6,
            "both series reached the webhook, Telegram and email");

        var rows = (await ListAsync("?event=data_quality.degraded")).Where(r => r.GetProperty("text").GetString()!.Contains("NTFQUALITY", StringComparison.Ordinal)).ToList();
        rows.Select(r => r.GetProperty("channel").GetString()).ShouldBe(["webhook:0", "telegram", "email"], ignoreOrder: true);
        var sent = _receiver.Received.Where(r => r.GetProperty("symbol").GetString() == "NTFQUALITY").ShouldHaveSingleItem();
        sent.GetProperty("text").GetString().ShouldBe(
            "Market data BINANCE:NTFQUALITY 1h is warning (quality score 0.75): accuracy/ohlc_violation: high below close at 2026-12-01T10:00:00Z; " +
            "timeliness/stale: last bar 3 h old; completeness/gap: 2 bars missing");
        var data = sent.GetProperty("data");
        data.GetProperty("exchange").GetString().ShouldBe("BINANCE");
        data.GetProperty("timeframe").GetString().ShouldBe("1h");
        data.GetProperty("score").GetDouble().ShouldBe(0.75);
        data.GetProperty("level").GetString().ShouldBe("warning");
        data.GetProperty("findings").GetArrayLength().ShouldBe(3);
        _telegram.Messages.Count(m => m.Text.Contains("NTFQUALITY", StringComparison.Ordinal)).ShouldBe(1);
    }
}
