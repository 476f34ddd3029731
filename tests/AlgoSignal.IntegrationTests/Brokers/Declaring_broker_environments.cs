using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Bybit;
using AlgoSignal.Brokers.InteractiveBrokers;
using AlgoSignal.Brokers.TradeStation;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>
/// Only a known test host or an explicit setting makes a broker endpoint a test endpoint; everything else
/// trades real money, so a paper strategy never reaches it.
/// </summary>
public sealed class Declaring_broker_environments : IAsyncLifetime
{
    private FakeBybit _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        // The fake's loopback address is not a known test host and no Environment is declared: it counts as live.
        _fake = await FakeBybit.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, _fake.Settings(environment: null));
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Should_keep_a_paper_strategy_away_from_an_undeclared_host_and_name_the_setting()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("unknownhost", d => d with { Routes = [new StrategyRoute("bybit", "main")] });
        var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BYBIT:BTCUSDT.P","price":50000,"quantity":0.01}""");
        status.ShouldBe(202);

        var story = await _environment.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("risk_rejected", story.ToString());
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("Brokers:Bybit:Environment");
        _fake.CreateRequests.ShouldBe(0, "nothing may reach a host that may trade real money");
        _fake.Orders.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://api.bybit.com")]
    [InlineData("https://api.bytick.com")]
    [InlineData("https://api.bybit.eu")]
    [InlineData("https://api.bybit.nl")]
    [InlineData("https://api.bybit.kz")]
    [InlineData("https://api.bybit.ae")]
    [InlineData("https://api.bybit.tr")]
    [InlineData("https://api.bybit.id")]
    [InlineData("https://api.bybitgeorgia.ge")]
    [InlineData("https://api.manepa.jp")]
    [InlineData("https://bybit-relay.corp.example")]
    [InlineData("https://api-testnet.bybit.com.evil.example")]
    public void Should_count_every_bybit_host_but_the_test_hosts_as_live(string baseUrl) =>
        new BybitOptions { BaseUrl = baseUrl }.ResolvedEnvironment.ShouldBe(BrokerEnvironment.Live);

    [Theory]
    [InlineData("https://api-testnet.bybit.com", BrokerEnvironment.Testnet)]
    [InlineData("https://API-TESTNET.bybit.com/", BrokerEnvironment.Testnet)]
    [InlineData("https://api-demo.bybit.com", BrokerEnvironment.Demo)]
    [InlineData("https://api-testnet.manepa.jp", BrokerEnvironment.Testnet)]
    public void Should_know_bybits_test_hosts(string baseUrl, BrokerEnvironment expected) =>
        new BybitOptions { BaseUrl = baseUrl }.ResolvedEnvironment.ShouldBe(expected);

    [Fact]
    public void Should_let_the_configuration_declare_any_host()
    {
        new BybitOptions { BaseUrl = "https://relay.corp.example", Environment = "testnet" }.IsLive.ShouldBeFalse();
        new BybitOptions { BaseUrl = "https://api-testnet.bybit.com", Environment = "LIVE" }.IsLive.ShouldBeTrue();
        new TradeStationOptions { BaseUrl = "https://ts-relay.corp.example/v3", Environment = "simulator" }.IsLive.ShouldBeFalse();
        new InteractiveBrokersOptions { AccountId = "DU1234567", Environment = "live" }.IsLive.ShouldBeTrue();
    }

    [Theory]
    [InlineData("https://sim-api.tradestation.com/v3", false)]
    [InlineData("https://api.tradestation.com/v3", true)]
    [InlineData("https://sim.api.tradestation.com/v3", true)]
    [InlineData("http://127.0.0.1:5000/v3", true)]
    public void Should_count_every_tradestation_host_but_the_simulator_as_live(string baseUrl, bool live) =>
        new TradeStationOptions { BaseUrl = baseUrl }.IsLive.ShouldBe(live);

    [Fact]
    public void Should_explain_an_undeclared_host_with_the_setting_to_change() =>
        new BybitOptions { BaseUrl = "https://api.bybit.eu" }.DescribeEnvironment().ShouldSatisfyAllConditions(
            d => d.ShouldContain("api.bybit.eu"),
            d => d.ShouldContain("Brokers:Bybit:Environment"));

    [Fact]
    public void Should_refuse_an_unknown_environment_value_at_start()
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new BybitOptions { Environment = "prod" };
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).ShouldBeFalse();
        results.ShouldContain(r => r.ErrorMessage!.Contains("Brokers:Bybit:Environment", StringComparison.Ordinal));
    }
}
