using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Orders;

/// <summary>Every trading state reads back from the text it is stored as, and the text is the constant's.</summary>
public sealed class StoredStatesTests
{
    [Fact]
    public void OrderStatus_RoundTripsThroughItsStoredText()
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            OrderStatuses.Parse(status.ToText()).ShouldBe(status);
        }
    }

    [Fact]
    public void OrderStatus_TextIsTheStoredConstant()
    {
        OrderStatus.PartiallyFilled.ToText().ShouldBe(OrderStatuses.PartiallyFilled);
        OrderStatus.Cancelling.ToText().ShouldBe(OrderStatuses.Cancelling);
        OrderStatuses.TryParse("new", out _).ShouldBeFalse("an order not yet placed has no stored state");
        OrderStatuses.TryParse(null, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => OrderStatuses.Parse("Filled"));
    }

    [Fact]
    public void AlertStatus_RoundTripsThroughItsStoredText()
    {
        foreach (var status in Enum.GetValues<AlertStatus>())
        {
            AlertStatuses.Parse(status.ToText()).ShouldBe(status);
        }
    }

    [Fact]
    public void AlertStatus_TextIsTheStoredConstant()
    {
        AlertStatus.RiskRejected.ToText().ShouldBe(AlertStatuses.RiskRejected);
        AlertStatus.PartiallyExecuted.ToText().ShouldBe(AlertStatuses.PartiallyExecuted);
        AlertStatuses.TryParse("partially filled", out _).ShouldBeFalse();
    }

    [Fact]
    public void OrderIntentAndSide_RoundTripThroughTheirStoredText()
    {
        foreach (var intent in Enum.GetValues<OrderIntent>())
        {
            OrderIntents.Parse(intent.ToText()).ShouldBe(intent);
        }

        foreach (var side in Enum.GetValues<OrderSide>())
        {
            OrderSides.Parse(side.ToText()).ShouldBe(side);
            side.Opposite().ShouldNotBe(side);
        }

        OrderIntent.Entry.ToText().ShouldBe(OrderIntents.Entry);
        OrderSide.Sell.ToText().ShouldBe(OrderSides.Sell);
        Should.Throw<FormatException>(() => OrderSides.Parse("short"));
    }
}
