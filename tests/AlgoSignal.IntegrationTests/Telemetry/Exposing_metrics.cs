using System.Net.Http.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// Both processes answer <c>/metrics</c> in Prometheus's text format — the ingress on its own address,
/// the worker on <c>Worker:Urls</c> — and a signed alert moves the counters and histograms it should.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Exposing_metrics(AlgoSignalFixture fixture)
{
    private Uri WorkerAddress => fixture.Workers[0].Services.GetRequiredService<WorkerEndpoint>().Addresses.ShouldHaveSingleItem();

    [Fact]
    public async Task Should_count_a_signed_alert_in_the_ingress_and_the_worker()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("metrics");
        var ingressBefore = await MetricsText.ScrapeAsync(fixture.BaseAddress);
        var workerBefore = await MetricsText.ScrapeAsync(WorkerAddress);

        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:MTRX","price":100,"quantity":1}""");
        status.ShouldBe(202);
        var alertId = body.GetProperty("alert_id").GetGuid();
        (await fixture.PostSignedAsync("""{"strategy":"x","action":"buy","symbol":"X"}""", signature: "t=1,v1=00")).Status.ShouldBe(401);
        (await fixture.PostTradingViewAsync("not-a-token", "{}")).ShouldBe(401);
        (await fixture.WaitForFinalAsync(alertId)).GetProperty("status").GetString().ShouldBe("filled");

        var ingress = await MetricsText.ScrapeAsync(fixture.BaseAddress);
        MetricsText.Delta(ingressBefore, ingress, "algosignal_webhook_requests_total", ("route", "signed"), ("status", "202")).ShouldBe(1);
        MetricsText.Delta(ingressBefore, ingress, "algosignal_webhook_requests_total", ("route", "signed"), ("status", "401")).ShouldBe(1);
        MetricsText.Delta(ingressBefore, ingress, "algosignal_webhook_requests_total", ("route", "tradingview"), ("status", "401")).ShouldBe(1);

        // The alert's state is visible a moment before the consumer's last line has run.
        var worker = await EventuallyAsync(WorkerAddress, w => MetricsText.Delta(workerBefore, w, "algosignal_alerts_final_total", ("status", "filled")) >= 1);
        MetricsText.Delta(workerBefore, worker, "algosignal_alerts_final_total", ("status", "filled")).ShouldBe(1);
        MetricsText.Delta(workerBefore, worker, "algosignal_orders_total", ("broker", "paper"), ("status", "filled")).ShouldBe(1);
        foreach (var stage in new[] { "queue_wait", "decision", "fill" })
        {
            MetricsText.Delta(workerBefore, worker, "algosignal_alert_stage_seconds_count", ("stage", stage)).ShouldBe(1, stage);
            MetricsText.Delta(workerBefore, worker, "algosignal_alert_stage_seconds_bucket", ("stage", stage), ("le", "+Inf")).ShouldBe(1, stage);
            MetricsText.Delta(workerBefore, worker, "algosignal_alert_stage_seconds_sum", ("stage", stage)).ShouldBeGreaterThan(0, stage);
        }

        // Bounded labels: no alert id, no strategy name in either scrape.
        foreach (var scrape in new[] { ingress, worker })
        {
            scrape.Text.ShouldNotContain(alertId.ToString());
            scrape.Text.ShouldNotContain(strategy);
        }
    }

    [Fact]
    public async Task Should_export_the_runtime_aspnetcore_and_httpclient_meters()
    {
        using (var response = await fixture.Http.GetAsync("/health/live"))
        {
            response.IsSuccessStatusCode.ShouldBeTrue();
        }

        var ingress = await MetricsText.ScrapeAsync(fixture.BaseAddress);
        ingress.Names().ShouldContain(n => n.StartsWith("http_server_request_duration", StringComparison.Ordinal), string.Join(", ", ingress.Names()));
        ingress.Names().ShouldContain(n => n.StartsWith("dotnet_", StringComparison.Ordinal));
        ingress.Names().ShouldContain("dotnet_process_memory_working_set_bytes");
        ingress.Text.ShouldContain("# TYPE dotnet_gc_collections_total counter");
        var worker = await MetricsText.ScrapeAsync(WorkerAddress);
        worker.Names().ShouldContain(n => n.StartsWith("dotnet_", StringComparison.Ordinal), string.Join(", ", worker.Names()));
    }

    [Fact]
    public async Task Should_serve_health_on_the_worker_endpoint()
    {
        using var http = new HttpClient { BaseAddress = WorkerAddress };
        using (var live = await http.GetAsync("/health/live"))
        {
            live.IsSuccessStatusCode.ShouldBeTrue();
        }

        using var ready = await http.GetAsync("/health/ready");
        ready.IsSuccessStatusCode.ShouldBeTrue();
        var body = await ready.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        body.GetProperty("status").GetString().ShouldBe("healthy");
        body.GetProperty("components").TryGetProperty("postgres", out _).ShouldBeTrue(body.ToString());
    }

    [Fact]
    public async Task Should_show_the_kill_switch_as_a_gauge()
    {
        try
        {
            (await fixture.Http.PostAsJsonAsync("/api/v1/kill-switch", new { enabled = true, reason = "metrics test" })).EnsureSuccessStatusCode();
            (await MetricsText.ScrapeAsync(fixture.BaseAddress)).Value("algosignal_kill_switch_active").ShouldBe(1);
        }
        finally
        {
            (await fixture.Http.PostAsJsonAsync("/api/v1/kill-switch", new { enabled = false })).EnsureSuccessStatusCode();
        }

        var after = await MetricsText.ScrapeAsync(fixture.BaseAddress);
        after.Text.ShouldContain("algosignal_kill_switch_active");
        after.Value("algosignal_kill_switch_active").ShouldBe(0);
    }

    private static async Task<MetricsText> EventuallyAsync(Uri address, Func<MetricsText, bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (true)
        {
            var scrape = await MetricsText.ScrapeAsync(address);
            if (condition(scrape) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return scrape;
            }

            await Task.Delay(100);
        }
    }
}
