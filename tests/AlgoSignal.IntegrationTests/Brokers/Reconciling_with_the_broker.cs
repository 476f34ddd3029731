using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// The broker holds a position AlgoSignal does not know: the drift is reported within a reconciliation interval
/// or two, shown at <c>GET /api/v1/reconciliation</c>, never corrected, and resolved once the books agree again.
/// </summary>
public sealed class Reconciling_with_the_broker : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybit.StartAsync();
        var settings = _fake.Settings();
        settings["Reconciliation:IntervalSeconds"] = "1";
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_report_a_position_the_broker_holds_and_algosignal_does_not_know()
    {
        (await WaitForAsync(r => r.GetProperty("runs").EnumerateArray().Any(x => x.GetProperty("broker").GetString() == "bybit" && x.GetProperty("outcome").GetString() == "ok")))
            .ShouldNotBeNull("with nothing held anywhere the books agree");

        _fake.OutsidePositions["ETHUSDT"] = -1.5m;
        var report = await WaitForAsync(r => OpenDrifts(r).Any());
        report.ShouldNotBeNull("the drift is reported within a few reconciliation intervals");
        var drift = OpenDrifts(report.Value).ShouldHaveSingleItem();
        drift.GetProperty("broker").GetString().ShouldBe("bybit");
        drift.GetProperty("kind").GetString().ShouldBe("position");
        drift.GetProperty("symbol").GetString().ShouldBe("ETHUSDT");
        drift.GetProperty("broker_quantity").GetDecimal().ShouldBe(-1.5m);
        drift.GetProperty("our_quantity").GetDecimal().ShouldBe(0m);
        drift.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("does not know");
        _fake.Orders.ShouldBeEmpty("a drift is reported, never corrected by trading");

        _fake.OutsidePositions.Clear();
        var resolved = await WaitForAsync(r => !OpenDrifts(r).Any());
        resolved.ShouldNotBeNull("the drift is resolved once the books agree again");
        var closed = resolved.Value.GetProperty("drifts").EnumerateArray().Where(d => d.GetProperty("symbol").GetString() == "ETHUSDT").ShouldHaveSingleItem();
        closed.GetProperty("resolved_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    private static IEnumerable<JsonElement> OpenDrifts(JsonElement report) => ReconciliationReports.OpenDrifts(report);

    private Task<JsonElement?> WaitForAsync(Func<JsonElement, bool> condition) => ReconciliationReports.WaitForAsync(_environment.Http, condition);
}
