using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Faults;

/// <summary>
/// The worker is SIGKILLed after the alert's transaction committed its live order as <c>submitting</c> and before
/// the order reached the broker; a new worker takes the order over and it is placed exactly once.
/// </summary>
public sealed class Surviving_a_kill_before_the_broker_call : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;
    private WorkerProcesses _workers = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var settings = _fake.Settings();
        settings["Brokers:Bybit:TimeoutSeconds"] = "60";
        _environment = new AlgoSignalFixture(workers: 0, settings);
        await _environment.InitializeAsync();
        _workers = new WorkerProcesses(_environment);
    }

    public async Task DisposeAsync()
    {
        _fake.ReleaseInstruments();
        await _workers.DisposeAsync();
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_place_the_order_exactly_once_after_a_kill_between_commit_and_broker_call()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("killsub", d => d with { Routes = [new StrategyRoute("bybit", "main")] });

        // The adapter asks for the instrument's rounding before its first order: held there, the order is committed but not sent.
        _fake.HoldInstruments();
        var first = _workers.Start();
        await _workers.WaitForConsumerAsync();
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01}""");
        status.ShouldBe(202);
        var alertId = body.GetProperty("alert_id").GetGuid();

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (_fake.InstrumentRequests == 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        _fake.InstrumentRequests.ShouldBeGreaterThan(0, "the worker reached the broker call");
        await using (var db = _environment.CreateDbContext())
        {
            (await db.Orders.Where(o => o.AlertId == alertId).Select(o => o.Status).SingleAsync()).ShouldBe("submitting", "committed, not yet sent");
        }

        first.Kill(); // SIGKILL between the commit and the broker call.
        await first.WaitForExitAsync();
        _fake.Orders.ShouldBeEmpty();
        _fake.ReleaseInstruments();

        _workers.Start();
        var story = await _environment.WaitForSettledAsync(alertId, TimeSpan.FromSeconds(120));
        story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        var clientOrderId = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem().GetProperty("client_order_id").GetString();
        _fake.Orders.Values.Count(o => o.OrderLinkId == clientOrderId).ShouldBe(1, "placed exactly once");
        _fake.Orders.Count.ShouldBe(1);
    }
}
