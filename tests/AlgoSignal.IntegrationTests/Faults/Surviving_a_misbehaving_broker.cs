using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Faults;

/// <summary>
/// Alerts routed to Bybit while the broker answers 503 and 429 and once hangs after taking an order:
/// every alert ends filled, and the broker holds exactly one order per alert.
/// </summary>
public sealed class Surviving_a_misbehaving_broker : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var settings = _fake.Settings();
        settings["Brokers:Bybit:TimeoutSeconds"] = "2";
        settings["Webhook:RateLimit:PerSourcePerMinute"] = "0";
        settings["Webhook:RateLimit:PerStrategyPerMinute"] = "0";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_fill_every_alert_once_through_5xx_429_and_a_hang()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("flaky", d => d with
        {
            Routes = [new StrategyRoute("bybit", "main")],
            MaxOrdersPerMinute = 0,
            MaxPositions = 1000,
            Pyramiding = 1000,
            MaxSignalAgeSeconds = 0,
        });
        var ids = new List<Guid>();
        for (var i = 0; i < 24; i++)
        {
            if (i == 4)
            {
                _fake.FailNext(2, 503);
            }

            if (i == 10)
            {
                _fake.FailNext(2, 429);
            }

            if (i == 16)
            {
                _fake.HangNextCreate();
            }

            var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BTCUSDT","price":50000,"quantity":0.01,"alert_id":"flaky-{{i}}"}""");
            status.ShouldBe(202);
            ids.Add(body.GetProperty("alert_id").GetGuid());
        }

        foreach (var id in ids)
        {
            var story = await _environment.WaitForSettledAsync(id, TimeSpan.FromSeconds(60));

            story.GetProperty("status").GetString().ShouldBe("filled", story.ToString());
        }

        _fake.Orders.Count.ShouldBe(24, "one order at the broker per alert, none twice");
    }
}
