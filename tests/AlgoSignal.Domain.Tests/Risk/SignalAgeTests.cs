using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Risk;

public sealed class SignalAgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 14, 30, 0, TimeSpan.Zero);

    private static RiskContext Context(string? time, double receivedSecondsAgo = 1, int maxAge = 60) => new()
    {
        Alert = new AlertPayload { Strategy = "s", Action = "buy", Symbol = "BINANCE:BTCUSDT", Price = 100m, Time = time },
        Strategy = new StrategyDefinition { Name = "s", MaxSignalAgeSeconds = maxAge },
        Leg = new SignalLeg(0, SignalIntent.Entry, OrderSide.Buy, 1m),
        Quantity = 1m,
        Price = 100m,
        ReceivedAt = Now.AddSeconds(-receivedSecondsAgo),
        Now = Now,
    };

    [Theory]
    [InlineData("2026-12-02T14:25:00Z")]
    [InlineData("2026-12-02T15:25:00+01:00")]
    [InlineData("1796221500")]
    [InlineData("1796221500000")]
    public void Check_AlertTimeMinutesOld_RejectsByTheAlertsOwnTime(string time)
    {
        // Received a second ago, but written five minutes ago: TradingView delivered it late.
        var reason = SignalAge.Check(Context(time)).ShouldNotBeNull();
        reason.ShouldContain("own time");
        reason.ShouldContain("300 s old");
    }

    [Fact]
    public void Check_RecentAlertTime_Approves() => SignalAge.Check(Context("2026-12-02T14:29:50Z")).ShouldBeNull();

    [Fact]
    public void Check_NoAlertTime_MeasuresFromReceipt()
    {
        SignalAge.Check(Context(null, receivedSecondsAgo: 10)).ShouldBeNull();
        SignalAge.Check(Context(null, receivedSecondsAgo: 90)).ShouldNotBeNull().ShouldContain("received 90 s ago");
    }

    [Fact]
    public void Check_NoLimit_Approves() => SignalAge.Check(Context("2020-01-01T00:00:00Z", maxAge: 0)).ShouldBeNull();

    [Fact]
    public void Evaluate_LateAlert_RejectedByTheMaxSignalAgeRule() =>
        RiskEngine.Default.Evaluate(Context("2026-12-02T14:20:00Z")).Rule.ShouldBe("max_signal_age");

    [Theory]
    [InlineData("not a time")]
    [InlineData("{{timenow}}")]
    [InlineData("99999999999999999999")]
    public void TryParse_Unreadable_IsFalse(string text) => AlertTime.TryParse(text, out _).ShouldBeFalse();
}
