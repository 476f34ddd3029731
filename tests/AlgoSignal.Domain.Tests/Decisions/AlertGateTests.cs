using System.Text;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Decisions;

public sealed class AlertGateTests
{
    private static readonly Guid AlertId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Earlier = Guid.Parse("22222222-2222-2222-2222-222222222222");

    private static AlertParseResult Parse(string json, bool requireStrategy = true) => AlertParser.Parse(Encoding.UTF8.GetBytes(json), requireStrategy);

    private static AlertPayload Payload(string? account = null, string? senderId = null) =>
        new() { Strategy = "s", Action = "buy", Symbol = "BINANCE:BTCUSDT", Account = account, AlertId = senderId };

    private static StrategyDefinition Strategy(params StrategyRoute[] routes) =>
        new() { Name = "s", Routes = routes.Length == 0 ? [new StrategyRoute("paper", "paper-1")] : routes };

    [Fact]
    public void Plan_InvalidPayload_RejectsWithTheFieldErrors()
    {
        var plan = AlertGate.Plan(null, Parse("""{"strategy":"s","symbol":"X"}"""));

        plan.StrategyName.ShouldBeNull();
        plan.Rejection.ShouldNotBeNull().ShouldStartWith("action: ");
    }

    [Fact]
    public void Plan_TokenAndBodyNameDifferentStrategies_Rejects()
    {
        var plan = AlertGate.Plan("mine", Parse("""{"strategy":"theirs","action":"buy","symbol":"X"}""", requireStrategy: false));

        plan.Rejection.ShouldBe("The body names strategy \"theirs\" but the webhook token belongs to \"mine\".");
        plan.StrategyName.ShouldBeNull();
    }

    [Theory]
    [InlineData("mine", """{"action":"buy","symbol":"X"}""", "mine")]
    [InlineData(null, """{"strategy":"body","action":"buy","symbol":"X"}""", "body")]
    [InlineData("same", """{"strategy":"same","action":"buy","symbol":"X"}""", "same")]
    public void Plan_Valid_NamesTheTokensOrTheBodysStrategy(string? token, string json, string expected)
    {
        var plan = AlertGate.Plan(token, Parse(json, requireStrategy: token is null));

        plan.Rejection.ShouldBeNull();
        plan.StrategyName.ShouldBe(expected);
    }

    [Fact]
    public void Duplicate_OwnKey_GoesOn() => AlertGate.Duplicate(AlertId, Payload(), AlertId).ShouldBeNull();

    [Fact]
    public void Duplicate_SamePayload_NamesTheEarlierAlert()
    {
        var stopped = AlertGate.Duplicate(AlertId, Payload(), Earlier).ShouldNotBeNull();

        stopped.Status.ShouldBe(AlertStatuses.Duplicate);
        stopped.Reason.ShouldBe($"Same payload as alert {Earlier} within the dedupe window.");
        stopped.DuplicateOf.ShouldBe(Earlier);
    }

    [Fact]
    public void Duplicate_SameSenderId_NamesTheIdAndTheEarlierAlert() =>
        AlertGate.Duplicate(AlertId, Payload(senderId: "abc"), Earlier).ShouldNotBeNull().Reason
            .ShouldBe($"alert_id \"abc\" was already received as alert {Earlier} within the dedupe window.");

    [Fact]
    public void Admit_UnknownStrategy_Rejects() =>
        AlertGate.Admit(Payload(), "ghost", null).ShouldBe(
            new GateOutcome.Stopped(AlertStatuses.Rejected, "Unknown strategy \"ghost\". Create it first (POST /api/v1/strategies)."));

    [Fact]
    public void Admit_DisabledStrategy_Rejects() =>
        AlertGate.Admit(Payload(), "s", Strategy() with { Enabled = false })
            .ShouldBe(new GateOutcome.Stopped(AlertStatuses.Rejected, "Strategy \"s\" is disabled."));

    [Fact]
    public void Admit_NoRoutes_Rejects() =>
        AlertGate.Admit(Payload(), "s", Strategy() with { Routes = [] })
            .ShouldBe(new GateOutcome.Stopped(AlertStatuses.Rejected, "Strategy \"s\" has no routes."));

    [Fact]
    public void Admit_AccountOfNoRoute_Rejects() =>
        AlertGate.Admit(Payload(account: "other"), "s", Strategy())
            .ShouldBe(new GateOutcome.Stopped(AlertStatuses.Rejected, "Account \"other\" is not one of strategy \"s\"'s routes."));

    [Fact]
    public void Admit_Account_KeepsOnlyItsRoutes()
    {
        var strategy = Strategy(new StrategyRoute("paper", "a"), new StrategyRoute("bybit", "b"), new StrategyRoute("paper", "a2"));

        var admitted = AlertGate.Admit(Payload(account: "b"), "s", strategy).ShouldBeOfType<GateOutcome.Admitted>();

        admitted.Routes.ShouldBe([new StrategyRoute("bybit", "b")]);
        admitted.Strategy.ShouldBeSameAs(strategy);
    }

    [Fact]
    public void Admit_NoAccount_TakesEveryRoute() =>
        AlertGate.Admit(Payload(), "s", Strategy(new StrategyRoute("paper", "a"), new StrategyRoute("paper", "b")))
            .ShouldBeOfType<GateOutcome.Admitted>().Routes.Count.ShouldBe(2);

    [Fact]
    public void Usable_DropsNullEntriesAndTakesTheRowsColumns()
    {
        var stored = new StrategyDefinition { Name = "x", Routes = [null!, new StrategyRoute("paper", "p")], Symbols = [null!, "X"], Timeframes = null!, Sizing = null! };

        var usable = AlertGate.Usable(stored, "s", enabled: false, StrategyModes.Live);

        usable.Name.ShouldBe("s");
        usable.Enabled.ShouldBeFalse();
        usable.Mode.ShouldBe(StrategyModes.Live);
        usable.Routes.ShouldBe([new StrategyRoute("paper", "p")]);
        usable.Symbols.ShouldBe(["X"]);
        usable.Timeframes.ShouldBeEmpty();
        usable.Sizing.ShouldBe(new SizingRule());
    }

    [Theory]
    [InlineData(false, StrategyModes.Live)]
    [InlineData(true, StrategyModes.Paper)]
    [InlineData(false, StrategyModes.Paper)]
    public void LiveEndpoint_WithoutALiveStrategyAndLiveTrading_IsRefused(bool liveEnabled, string mode) =>
        AlertGate.LiveEndpoint("bybit", brokerIsLive: true, "BYBIT_ENV=mainnet", liveEnabled, mode).ShouldBe(new RouteResult(
            AlertStatuses.RiskRejected, "bybit trades real money: BYBIT_ENV=mainnet. Only a live strategy with Trading:LiveEnabled may use it."));

    [Theory]
    [InlineData(true, true, StrategyModes.Live)]
    [InlineData(false, false, StrategyModes.Paper)]
    public void LiveEndpoint_LiveStrategyWithLiveTrading_OrATestEndpoint_GoesOn(bool isLive, bool liveEnabled, string mode) =>
        AlertGate.LiveEndpoint("bybit", isLive, "testnet", liveEnabled, mode).ShouldBeNull();

    [Fact]
    public void UnknownBroker_PointsToTheReadme() =>
        AlertGate.UnknownBroker("tradestation").ShouldBe(new RouteResult(
            AlertStatuses.Rejected, "Broker \"tradestation\" is not configured on this installation (see the README's Brokers section)."));
}
