using System.Diagnostics;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Queueing_durably(AlgoSignalFixture fixture)
{
    private const string Alert = """{"strategy":"demo","action":"buy","symbol":"OUTAGE","price":1}""";

    [Fact]
    public async Task Should_answer_503_while_rabbitmq_is_unreachable_and_recover_after()
    {
        await using var proxy = new TcpProxy(TestServices.RabbitHost, TestServices.RabbitPort);
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["RabbitMq:Port"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhook:ConfirmTimeoutMs"] = "1000",
            ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
            ["Webhook:RateLimit:PerStrategyPerMinute"] = "0",
        });
        // A fresh ingress connects to RabbitMQ on its first publishes; the outage starts once it has.
        (await AcceptedWithinAsync(ingress, TimeSpan.FromSeconds(15))).ShouldBeTrue("a fresh ingress should accept alerts once connected");

        proxy.Cut();
        var outage = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var (status, body, _) = await ingress.PostAsync("/webhook", Alert.Replace("OUTAGE", $"OUTAGE{i}", StringComparison.Ordinal));
            outage.Add(status);
            if (status == 503)
            {
                body.GetProperty("status").GetString().ShouldBe("unavailable");
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3), "TradingView gives up after 3 s");
            }
        }

        outage.ShouldAllBe(s => s == 503);

        proxy.Restore();

        // The service must recover by itself within 10 s of RabbitMQ's return.
        var recovered = await AcceptedWithinAsync(ingress, TimeSpan.FromSeconds(10));
        recovered.ShouldBeTrue("the ingress should publish again within 10 s of RabbitMQ's return");

        // Nothing answered 503 was queued behind the client's back.
        await Task.Delay(1500);
        await using var db = fixture.CreateDbContext();
        var leaked = db.Alerts.AsEnumerable().Count(a => a.Payload.Contains("\"OUTAGE0\"", StringComparison.Ordinal) || a.Payload.Contains("\"OUTAGE4\"", StringComparison.Ordinal));
        leaked.ShouldBe(0);
    }

    private static async Task<bool> AcceptedWithinAsync(IngressInstance ingress, TimeSpan limit)
    {
        var deadline = TimeProvider.System.GetUtcNow() + limit;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if ((await ingress.PostAsync("/webhook", Alert)).Status == 202)
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    [Fact]
    public async Task Should_answer_503_when_no_queue_would_keep_the_alert()
    {
        // A virtual host where no worker ever declared its queue: a confirm alone would be a lie.
        var vhost = "algosignal-unrouted-" + Guid.NewGuid().ToString("N")[..8];
        await TestServices.CreateVirtualHostAsync(vhost);
        try
        {
            await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["RabbitMq:VirtualHost"] = vhost });
            var (status, _, _) = await ingress.PostAsync("/webhook", Alert);
            status.ShouldBe(503);
        }
        finally
        {
            await TestServices.DeleteVirtualHostAsync(vhost);
        }
    }
}
