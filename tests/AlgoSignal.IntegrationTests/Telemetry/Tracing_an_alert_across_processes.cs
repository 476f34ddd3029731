using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a signed alert is one trace across the ingress (in this process) and the
/// worker (a process of its own, configured by environment variables): the webhook request, the publish, the consume
/// and the worker's PostgreSQL commands share a trace id and carry the alert's id; a TradingView token never reaches
/// the exporter.
/// </summary>
public sealed class Tracing_an_alert_across_processes : IAsyncLifetime
{
    private FakeOtlpReceiver _collector = null!;
    private AlgoSignalFixture _environment = null!;
    private WorkerProcesses _workers = null!;

    public async Task InitializeAsync()
    {
        _collector = await FakeOtlpReceiver.StartAsync();
        _environment = new AlgoSignalFixture(workers: 0, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await _environment.InitializeAsync();
        _workers = new WorkerProcesses(_environment);
        _workers.Start();
        await _workers.WaitForConsumerAsync();
    }

    public async Task DisposeAsync()
    {
        await _workers.DisposeAsync();
        await _environment.DisposeAsync();
        await _collector.DisposeAsync();
    }

    /// <summary>The spans a worker's consume continues have been exported too (the processes export in batches of their own).</summary>
    private bool ParentsExported(List<ReceivedSpan> tagged)
    {
        var exported = _collector.Spans.Select(s => s.SpanId).ToHashSet();
        return tagged.Where(s => s.Service == "AlgoSignal.Worker" && s.Name.Contains("process", StringComparison.Ordinal)).All(s => exported.Contains(s.ParentSpanId));
    }

    [Fact]
    public async Task Should_trace_a_signed_alert_from_the_webhook_through_rabbitmq_to_the_worker_and_postgresql()
    {
        var (strategy, token) = await _environment.CreateStrategyAsync("trc");
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"TRCA","price":10,"quantity":1}""");
        status.ShouldBe(202);
        var alertId = body.GetProperty("alert_id").GetGuid().ToString();
        (await _environment.WaitForFinalAsync(Guid.Parse(alertId))).GetProperty("status").GetString().ShouldBe("filled");
        (await _environment.PostTradingViewAsync(token, """{"action":"buy","symbol":"TRCB","price":10,"quantity":1}""")).ShouldBe(202);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        List<ReceivedSpan> tagged;
        do
        {
            await Task.Delay(200);
            tagged = _collector.Spans.Where(s => s.Attributes.TryGetValue("alert_id", out var id) && id == alertId).ToList();
        }
        while (DateTimeOffset.UtcNow < deadline
            && !(tagged.Any(s => s.Service == "AlgoSignal.Ingress" && s.Name.StartsWith("POST", StringComparison.Ordinal))
                && tagged.Any(s => s.Service == "AlgoSignal.Worker" && s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system"))
                && tagged.Any(s => s.Service == "AlgoSignal.Worker" && s.Name.Contains("process", StringComparison.Ordinal))
                && ParentsExported(tagged)));

        var request = tagged.Where(s => s.Service == "AlgoSignal.Ingress" && s.Name.StartsWith("POST", StringComparison.Ordinal)).ShouldHaveSingleItem();
        request.Attributes["url.path"].ShouldBe("/webhook");
        tagged.ShouldContain(s => s.Service == "AlgoSignal.Ingress" && s.Name.Contains("send", StringComparison.Ordinal), "the publish to RabbitMQ");
        var consumed = tagged.Where(s => s.Service == "AlgoSignal.Worker" && s.Name.Contains("process", StringComparison.Ordinal)).ToList();
        consumed.ShouldNotBeEmpty("the worker's consume");
        var database = tagged.Where(s => s.Service == "AlgoSignal.Worker" && (s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system"))).ToList();
        database.ShouldNotBeEmpty("the worker's PostgreSQL commands, tagged with the alert");

        // One trace: the worker's spans continue the ingress's, carried by the message headers.
        tagged.Select(s => s.TraceId).Distinct().ShouldHaveSingleItem().ShouldBe(request.TraceId);
        var ids = _collector.Spans.Where(s => s.TraceId == request.TraceId).Select(s => s.SpanId).ToHashSet();
        consumed.ShouldAllBe(s => ids.Contains(s.ParentSpanId));

        // The ingress shares this process with the test, so its HttpClient spans include the test's own requests
        // (client spans with url.full): those are the test's, not the product's, and are left out. The spans of the
        // TradingView alert are all in once the worker's consume of it, the end of its trace, has been exported.
        (await Eventually.HoldsAsync(
            () => _collector.Spans.Where(s => s.Service == "AlgoSignal.Ingress" && s.Attributes.GetValueOrDefault("url.path") == "/webhook/tradingview")
                .Any(tv => _collector.Spans.Any(s => s.TraceId == tv.TraceId && s.Service == "AlgoSignal.Worker" && s.Name.Contains("process", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30))).ShouldBeTrue("the worker's consume of the TradingView alert was exported");
        _collector.Spans
            .Where(s => !(s.Attributes.TryGetValue("url.full", out var url) && url.StartsWith(_environment.BaseAddress.ToString(), StringComparison.Ordinal)))
            .Where(s => s.Name.Contains(token, StringComparison.Ordinal) || s.Attributes.Values.Any(v => v.Contains(token, StringComparison.Ordinal)))
            .Select(s => $"{s.Service} {s.Name} {string.Join(", ", s.Attributes.Select(a => a.Key + "=" + a.Value))}").ShouldBeEmpty("no span holds the TradingView token");
        _collector.Spans.ShouldContain(s => s.Service == "AlgoSignal.Ingress" && s.Attributes.GetValueOrDefault("url.path") == "/webhook/tradingview", "the TradingView request is traced, its token taken out");
    }
}
