using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Decisions;

public sealed class LegDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);

    private static readonly SignalLeg Entry = new(0, SignalIntent.Entry, OrderSide.Buy, null);

    private static LegFacts Facts(Func<LegFacts, LegFacts>? change = null, Func<StrategyDefinition, StrategyDefinition>? strategy = null)
    {
        var facts = new LegFacts
        {
            Alert = new AlertPayload { Strategy = "s", Action = "buy", Symbol = "BINANCE:BTCUSDT", Price = 100m, TakeProfit = 110m, StopLoss = 90m },
            Strategy = (strategy ?? (s => s))(new StrategyDefinition { Name = "s", Sizing = new SizingRule { Mode = SizingModes.Fixed, Quantity = 2m } }),
            Leg = Entry,
            IsPaper = true,
            ReceivedAt = Now.AddSeconds(-1),
            Now = Now,
            LotStep = 0.001m,
        };
        return change is null ? facts : change(facts);
    }

    private static LegDecision.Refused Refused(LegFacts facts) => LegDecider.Decide(facts).ShouldBeOfType<LegDecision.Refused>();

    [Fact]
    public void Decide_Entry_PlacesTheSizedOrderWithItsBracket()
    {
        var place = LegDecider.Decide(Facts()).ShouldBeOfType<LegDecision.Place>();

        place.Order.ShouldBe(new OrderToPlace(OrderSides.Buy, OrderIntents.Entry, 2m, AlertOrderTypes.Market, null, null, AlertTimeInForce.Gtc, 110m, 90m));
        place.Risk.ShouldBe(RiskDecision.Approve);
    }

    [Fact]
    public void Decide_Exit_TakesTheLegsQuantityAndNoBracket()
    {
        var place = LegDecider.Decide(Facts(f => f with { Leg = new SignalLeg(0, SignalIntent.Exit, OrderSide.Sell, 3m), Position = 3m }))
            .ShouldBeOfType<LegDecision.Place>();

        place.Order.Side.ShouldBe(OrderSides.Sell);
        place.Order.Intent.ShouldBe(OrderIntents.Exit);
        place.Order.Quantity.ShouldBe(3m);
        place.Order.TakeProfit.ShouldBeNull();
        place.Order.StopLoss.ShouldBeNull();
    }

    [Fact]
    public void Decide_PercentSizingOffPaper_IsRefused() =>
        Refused(Facts(f => f with { IsPaper = false }, s => s with { Sizing = new SizingRule { Mode = SizingModes.PercentEquity, Percent = 10m } }))
            .ShouldBe(new LegDecision.Refused(
                "sizing",
                "percent sizing needs the account's equity, which AlgoSignal tracks for the paper broker only; use fixed or notional sizing",
                "Sizing: percent_equity needs the account's equity, which is tracked for the paper broker only."));

    [Fact]
    public void Decide_PercentSizingOnPaper_SizesFromTheEquity() =>
        LegDecider.Decide(Facts(f => f with { Equity = 10_000m }, s => s with { Sizing = new SizingRule { Mode = SizingModes.PercentEquity, Percent = 10m } }))
            .ShouldBeOfType<LegDecision.Place>().Order.Quantity.ShouldBe(10m);

    [Fact]
    public void Decide_SizingRefuses_SaysSoInTheSummary() =>
        Refused(Facts(strategy: s => s with { Sizing = new SizingRule { Mode = SizingModes.Notional } }))
            .ShouldBe(new LegDecision.Refused("sizing", "notional sizing needs sizing.amount and the alert's price", "Sizing: notional sizing needs sizing.amount and the alert's price"));

    [Fact]
    public void Decide_SizeOverflows_IsRefusedWithAReason() =>
        Refused(Facts(f => f with { Leg = Entry with { Quantity = 70_000_000_000_000_000_000_000_000_000m } }, s => s with { RiskMultiplier = 10m }))
            .Summary.ShouldBe("Sizing: the size overflows (quantity 70000000000000000000000000000 × risk multiplier 10 in lot steps of 0.001)");

    [Fact]
    public void Decide_OutOfBounds_IsRefusedByOrderBounds()
    {
        var refused = Refused(Facts(f => f with { Leg = Entry with { Quantity = 1e19m } }));

        refused.Rule.ShouldBe(OrderBounds.Rule);
        refused.Reason.ShouldBe("The order's notional (10000000000000000000.000 × 100) exceeds 100000000000000000000, the largest AlgoSignal books; check the alert's quantity and prices.");
        refused.Summary.ShouldBe(refused.Reason);
    }

    [Fact]
    public void Decide_RiskRuleRefuses_NamesTheRule()
    {
        var refused = Refused(Facts(f => f with { OrdersLastMinute = 30 }));

        refused.Rule.ShouldBe("max_orders_per_minute");
        refused.Summary.ShouldBe("30 orders in the last minute; the strategy allows 30.");
    }

    [Fact]
    public void Decide_KillSwitch_TellsWhyItIsOn() =>
        Refused(Facts(f => f with { KillSwitchEnabled = true, KillSwitchReason = "exchange outage" }))
            .ShouldBe(new LegDecision.Refused(RiskEngine.KillSwitchRule,
                "The kill switch is on: no new orders except exits. (exchange outage)", "The kill switch is on: no new orders except exits. (exchange outage)"));

    [Fact]
    public void Decide_KillSwitchWithoutAReason_KeepsTheRulesText() =>
        Refused(Facts(f => f with { KillSwitchEnabled = true })).Reason.ShouldBe("The kill switch is on: no new orders except exits.");

    [Fact]
    public void Decide_EntryIntoAnOpenPosition_DoesNotCountOpenPositions() =>
        LegDecider.Decide(Facts(f => f with { Position = 1m, OpenPositions = 99, EntriesInPosition = 0 }))
            .ShouldBeOfType<LegDecision.Place>();

    [Fact]
    public void Decide_NewPosition_CountsOpenPositions() =>
        Refused(Facts(f => f with { OpenPositions = 5 })).Rule.ShouldBe("max_positions");

    [Fact]
    public void Decide_DailyLossReached_RefusesTheEntry() =>
        Refused(Facts(f => f with { RealizedPnlToday = -100m }, s => s with { MaxDailyLoss = 100m })).Rule.ShouldBe("max_daily_loss");

    [Fact]
    public void Decide_Cancel_IsNotALegToPlace() =>
        Should.Throw<ArgumentException>(() => LegDecider.Decide(Facts(f => f with { Leg = new SignalLeg(0, SignalIntent.Cancel, OrderSide.Buy, null) })));
}
