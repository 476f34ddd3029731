using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Signals;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Signals;

public sealed class SignalMapperTests
{
    private static AlertPayload Alert(string action, string? prev = null, string? now = null, decimal? quantity = null, decimal? size = null) =>
        new() { Strategy = "s", Action = action, Symbol = "BTCUSDT", PrevMarketPosition = prev, MarketPosition = now, Quantity = quantity, PositionSize = size };

    [Theory]
    [InlineData("buy", OrderSide.Buy)]
    [InlineData("long", OrderSide.Buy)]
    [InlineData("sell", OrderSide.Sell)]
    [InlineData("short", OrderSide.Sell)]
    public void Map_EntryWhenFlat_OneEntryLeg(string action, OrderSide side)
    {
        var leg = SignalMapper.Map(Alert(action, quantity: 2), 0m).Legs.ShouldHaveSingleItem();
        leg.Intent.ShouldBe(SignalIntent.Entry);
        leg.Side.ShouldBe(side);
        leg.Quantity.ShouldBe(2m);
    }

    [Fact]
    public void Map_SellWhileLong_IsReversalExitFirst()
    {
        var legs = SignalMapper.Map(Alert("sell", quantity: 1), 3m).Legs;
        legs.Count.ShouldBe(2);
        legs[0].ShouldBe(new SignalLeg(0, SignalIntent.Exit, OrderSide.Sell, 3m));
        legs[1].ShouldBe(new SignalLeg(1, SignalIntent.Entry, OrderSide.Sell, 1m));
    }

    [Fact]
    public void Map_TransitionLongToFlat_IsExit() =>
        SignalMapper.Map(Alert("sell", "long", "flat", quantity: 5), 2m).Legs.ShouldHaveSingleItem().ShouldBe(new SignalLeg(0, SignalIntent.Exit, OrderSide.Sell, 2m));

    [Fact]
    public void Map_TransitionLongToShort_IsReversalWithNewSize()
    {
        var legs = SignalMapper.Map(Alert("sell", "long", "short", quantity: 3, size: -1), 2m).Legs;
        legs.Select(l => (l.Intent, l.Side, l.Quantity)).ShouldBe([(SignalIntent.Exit, OrderSide.Sell, 2m), (SignalIntent.Entry, OrderSide.Sell, 1m)]);
    }

    [Theory]
    [InlineData("close_long", 0)]
    [InlineData("close_long", -1)]
    [InlineData("close_short", 1)]
    [InlineData("close", 0)]
    [InlineData("stop_loss", 0)]
    public void Map_ExitWithoutPosition_IsRejectedNeverAnEntry(string action, int position)
    {
        var mapping = SignalMapper.Map(Alert(action), position);
        mapping.IsRejected.ShouldBeTrue();
        mapping.Legs.ShouldBeEmpty();
    }

    [Fact]
    public void Map_TransitionLongToFlatWithoutPosition_IsRejected() =>
        SignalMapper.Map(Alert("sell", "long", "flat"), 0m).IsRejected.ShouldBeTrue();

    [Fact]
    public void Map_PartialExit_CappedAtPosition() =>
        SignalMapper.Map(Alert("close_long", quantity: 10), 4m).Legs.ShouldHaveSingleItem().Quantity.ShouldBe(4m);
}
