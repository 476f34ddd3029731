using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// An alert routed to a live broker (the Bybit fake) shows in the worker's metrics: its broker
/// requests, the submission and fill stages, and its state once the broker filled it.
/// </summary>
public sealed class Measuring_live_broker_orders : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, new Dictionary<string, string>
        {
            ["Brokers:Bybit:BaseUrl"] = _fake.BaseAddress.ToString(),
            ["Brokers:Bybit:Environment"] = "testnet",
            ["Brokers:Bybit:ApiKey"] = FakeBybit.ApiKey,
            ["Brokers:Bybit:ApiSecret"] = FakeBybit.ApiSecret,
        });
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_count_the_broker_requests_and_the_settled_alert()
    {
        var worker = _environment.Workers[0].Services.GetRequiredService<WorkerEndpoint>().Addresses.ShouldHaveSingleItem();
        var before = await MetricsText.ScrapeAsync(worker);
        var (strategy, _) = await _environment.CreateStrategyAsync("bybitm", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01}""");
        status.ShouldBe(202);
        var story = await _environment.WaitForSettledAsync(body.GetProperty("alert_id").GetGuid(), TimeSpan.FromSeconds(20));
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        var after = await MetricsText.ScrapeAsync(worker);
        while (MetricsText.Delta(before, after, "algosignal_alerts_final_total", ("status", "filled")) < 1 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
            after = await MetricsText.ScrapeAsync(worker);
        }

        MetricsText.Delta(before, after, "algosignal_alerts_final_total", ("status", "ordered")).ShouldBe(0, "an alert waiting for its broker is counted once, when it settles: " + after.Text);
        MetricsText.Delta(before, after, "algosignal_alerts_final_total", ("status", "filled")).ShouldBe(1);
        MetricsText.Delta(before, after, "algosignal_orders_total", ("broker", "bybit"), ("status", "submitting")).ShouldBe(1);
        MetricsText.Delta(before, after, "algosignal_broker_requests_total", ("broker", "bybit"), ("operation", "place"), ("outcome", "success")).ShouldBeGreaterThanOrEqualTo(1);
        MetricsText.Delta(before, after, "algosignal_broker_request_seconds_count", ("broker", "bybit"), ("operation", "place")).ShouldBeGreaterThanOrEqualTo(1);
        MetricsText.Delta(before, after, "algosignal_alert_stage_seconds_count", ("stage", "broker_submission")).ShouldBe(1);
        MetricsText.Delta(before, after, "algosignal_alert_stage_seconds_count", ("stage", "fill")).ShouldBe(1);
    }
}
