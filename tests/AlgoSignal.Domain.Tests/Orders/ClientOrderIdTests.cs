using AlgoSignal.Domain.Orders;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Orders;

public sealed class ClientOrderIdTests
{
    [Fact]
    public void For_SameInputs_SameId()
    {
        var alert = Guid.NewGuid();
        ClientOrderId.For(alert, 0, "paper", "a").ShouldBe(ClientOrderId.For(alert, 0, "paper", "a"));
    }

    [Fact]
    public void For_DifferentLegOrRoute_DifferentIdsOfBrokerSafeShape()
    {
        var alert = Guid.NewGuid();
        var ids = new[] { ClientOrderId.For(alert, 0, "paper", "a"), ClientOrderId.For(alert, 1, "paper", "a"), ClientOrderId.For(alert, 0, "bybit", "a") };
        ids.Distinct().Count().ShouldBe(3);
        ids.ShouldAllBe(id => id.Length == 32 && id.All(char.IsAsciiLetterOrDigit));
    }
}
