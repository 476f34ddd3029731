using System.Net.Sockets;
using System.Text;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

/// <summary>Clients that send a body too slowly or vanish half-way are expected misbehaviour: a warning, no stack, a log row each.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Receiving_slow_or_broken_bodies(AlgoSignalFixture fixture)
{
    private const int Slow = 4;
    private const int Vanished = 4;

    [Fact]
    public async Task Should_log_one_warning_without_a_stack_and_a_webhook_log_row_for_each()
    {
        using var output = new StringWriter();
        var since = TimeProvider.System.GetUtcNow();
        await using var ingress = await fixture.StartIngressAsync(
            new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "0", ["Logging:Format"] = "text" },
            builder => builder.AddAlgoSignalLogging(output));

        var slow = Enumerable.Range(0, Slow).Select(_ => SendPartOfABodyAsync(ingress.BaseAddress, hangUp: false)).ToList();
        var vanished = Enumerable.Range(0, Vanished).Select(_ => SendPartOfABodyAsync(ingress.BaseAddress, hangUp: true)).ToList();
        await Task.WhenAll(slow.Concat(vanished));

        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) cuts the slow ones.
        await WaitUntilAsync(async () => await CountAsync(since) >= Slow + Vanished, TimeSpan.FromSeconds(20));
        await ingress.App.StopAsync();

        await using var db = fixture.CreateDbContext();
        var rows = await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Route == "signed").ToListAsync();
        rows.Where(r => r.Status == 408).Sum(r => r.Count).ShouldBe(Slow, Describe(rows));
        rows.Where(r => r.Status is 400 or 499).Sum(r => r.Count).ShouldBe(Vanished, Describe(rows));
        rows.ShouldAllBe(r => r.Reason != null && (r.Reason.StartsWith("body:", StringComparison.Ordinal) || r.Reason.Contains("more request(s)", StringComparison.Ordinal)));

        var log = output.ToString();
        log.ShouldNotContain("ERR]", Case.Sensitive, log);

        // Kestrel itself may still report a connection that a vanishing client cut while its body was
        // being drained ("Connection processing ended abnormally"); that is Kestrel's line, not the
        // request's, and stays a warning. No other entry carries a stack.
        OutsideKestrelConnectionEntries(log).ShouldNotContain(" at ", Case.Sensitive, log);
        log.Split('\n').Count(l => l.Contains("Webhook body not received on", StringComparison.Ordinal)).ShouldBe(1, log);
        log.ShouldContain($"{Slow + Vanished - 1} more webhook bodies not received");
    }

    private static string OutsideKestrelConnectionEntries(string log)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in log.Split('\n'))
        {
            if (!line.StartsWith(TextLogFormatter.Indent, StringComparison.Ordinal))
            {
                skipping = line.Contains("Microsoft.AspNetCore.Server.Kestrel: Connection processing ended abnormally", StringComparison.Ordinal);
            }

            if (!skipping)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }

    private async Task<int> CountAsync(DateTimeOffset since)
    {
        await using var db = fixture.CreateDbContext();
        return await db.WebhookLog.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Route == "signed").SumAsync(e => e.Count);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition() && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(250);
        }
    }

    /// <summary>Announces 1,000 bytes, sends a few, then stalls until the server gives up (or hangs up at once).</summary>
    private static async Task SendPartOfABodyAsync(Uri address, bool hangUp)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        var head = $"POST /webhook HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"strategy\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        if (hangUp)
        {
            await Task.Delay(200);
            client.Client.Shutdown(SocketShutdown.Send);
            await Task.Delay(200);
            return;
        }

        // Wait for the server's verdict: an answer or a closed connection once the rate is too low.
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            _ = await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
    }

    private static string Describe(IEnumerable<AlgoSignal.Persistence.Entities.WebhookLogEntity> rows) =>
        string.Join("\n", rows.Select(r => $"{r.Status} x{r.Count}: {r.Reason}"));
}
