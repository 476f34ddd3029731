using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Risk;

public sealed class RiskEngineTests
{
    // Monday 2026-11-23 15:00 UTC = 10:00 in New York.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private static RiskContext Context(Func<StrategyDefinition, StrategyDefinition>? strategy = null, Func<RiskContext, RiskContext>? change = null)
    {
        var context = new RiskContext
        {
            Alert = new AlertPayload { Strategy = "s", Action = "buy", Symbol = "BINANCE:BTCUSDT", Timeframe = "15", Price = 100m },
            Strategy = (strategy ?? (s => s))(new StrategyDefinition { Name = "s" }),
            Leg = new SignalLeg(0, SignalIntent.Entry, OrderSide.Buy, 1m),
            Quantity = 1m,
            Price = 100m,
            ReceivedAt = Now.AddSeconds(-1),
            Now = Now,
        };
        return change is null ? context : change(context);
    }

    private static RiskContext Exit(RiskContext c) => c with { Leg = new SignalLeg(0, SignalIntent.Exit, OrderSide.Sell, 1m), Position = 1m };

    [Fact]
    public void Evaluate_Defaults_Approve() => RiskEngine.Default.Evaluate(Context()).Approved.ShouldBeTrue();

    public static TheoryData<string, Func<StrategyDefinition, StrategyDefinition>?, Func<RiskContext, RiskContext>?> Rejections() => new()
    {
        { "kill_switch", null, c => c with { KillSwitchEnabled = true } },
        { "strategy_enabled", s => s with { Enabled = false }, null },
        { "live_trading", s => s with { Mode = StrategyModes.Live }, null },
        { "symbol_allowed", s => s with { Symbols = ["NASDAQ:AAPL"] }, null },
        { "timeframe_allowed", s => s with { Timeframes = ["60"] }, null },
        { "max_signal_age", s => s with { MaxSignalAgeSeconds = 30 }, c => c with { ReceivedAt = Now.AddSeconds(-31) } },
        { "trading_window", s => s with { TradingWindow = new TradingWindow("11:00", "16:00", "America/New_York", ["mon"]) }, null },
        { "max_orders_per_minute", s => s with { MaxOrdersPerMinute = 3 }, c => c with { OrdersLastMinute = 3 } },
        { "max_positions", s => s with { MaxPositions = 2 }, c => c with { OpenPositions = 2 } },
        { "pyramiding", s => s with { Pyramiding = 1 }, c => c with { Position = 1m, EntriesInPosition = 1 } },
        { "allow_short", s => s with { AllowShort = false }, c => c with { Leg = new SignalLeg(0, SignalIntent.Entry, OrderSide.Sell, 1m) } },
        { "max_position_quantity", s => s with { MaxPositionQuantity = 1.5m }, c => c with { Position = 1m, EntriesInPosition = 1, Strategy = c.Strategy with { Pyramiding = 5 } } },
        { "max_order_notional", s => s with { MaxOrderNotional = 99m }, null },
        { "max_daily_loss", s => s with { MaxDailyLoss = 50m }, c => c with { RealizedPnlToday = -50m } },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Evaluate_RuleBreached_RejectsNamingTheRule(string rule, Func<StrategyDefinition, StrategyDefinition>? strategy, Func<RiskContext, RiskContext>? change)
    {
        var decision = RiskEngine.Default.Evaluate(Context(strategy, change));
        decision.Approved.ShouldBeFalse();
        decision.Rule.ShouldBe(rule);
        decision.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    public static TheoryData<string, Func<StrategyDefinition, StrategyDefinition>?, Func<RiskContext, RiskContext>?> Passes() => new()
    {
        { "live with global switch on", s => s with { Mode = StrategyModes.Live }, c => c with { LiveTradingEnabled = true } },
        { "symbol without prefix matches", s => s with { Symbols = ["BTCUSDT"] }, null },
        { "timeframe listed", s => s with { Timeframes = ["15"] }, null },
        { "inside the window", s => s with { TradingWindow = new TradingWindow("09:30", "16:00", "America/New_York", ["mon", "tue"]) }, null },
        { "overnight window after midnight", s => s with { TradingWindow = new TradingWindow("22:00", "11:00", "America/New_York", ["sun"]) }, null },
        { "below orders per minute", s => s with { MaxOrdersPerMinute = 3 }, c => c with { OrdersLastMinute = 2 } },
        { "adding to an open position does not count as a new one", s => s with { MaxPositions = 2, Pyramiding = 2 }, c => c with { OpenPositions = 2, Position = 1m, EntriesInPosition = 1 } },
        { "kill switch lets exits out", null, c => Exit(c with { KillSwitchEnabled = true }) },
        { "exit outside the window", s => s with { TradingWindow = new TradingWindow("11:00", "16:00", "America/New_York", ["mon"]) }, Exit },
        { "exit past the daily loss", s => s with { MaxDailyLoss = 50m }, c => Exit(c with { RealizedPnlToday = -80m }) },
        { "notional within limit", s => s with { MaxOrderNotional = 100m }, null },
    };

    [Theory]
    [MemberData(nameof(Passes))]
    public void Evaluate_WithinRule_Approves(string because, Func<StrategyDefinition, StrategyDefinition>? strategy, Func<RiskContext, RiskContext>? change) =>
        RiskEngine.Default.Evaluate(Context(strategy, change)).Approved.ShouldBeTrue(because);

    [Fact]
    public void Evaluate_KillSwitchWithExitsStopped_RejectsExits() =>
        RiskEngine.Default.Evaluate(Exit(Context(null, c => c with { KillSwitchEnabled = true, KillSwitchAllowsExits = false }))).Rule.ShouldBe("kill_switch");

    [Fact]
    public void Rules_AreEvaluatedInTheDocumentedOrder() =>
        RiskEngine.Default.RuleNames.ShouldBe([
            "kill_switch", "strategy_enabled", "live_trading", "symbol_allowed", "timeframe_allowed", "max_signal_age", "trading_window",
            "max_orders_per_minute", "max_positions", "pyramiding", "allow_short", "max_position_quantity", "max_order_notional", "max_daily_loss"]);
}
