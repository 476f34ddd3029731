using AlgoSignal.Worker.Pipeline;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>How often an open order is asked about as it ages.</summary>
public sealed class Backing_off_from_resting_orders
{
    [Fact]
    public void Should_back_off_as_an_order_ages()
    {
        BrokerOrderPoller.Backoff(TimeSpan.FromSeconds(5)).ShouldBe(TimeSpan.FromSeconds(1));
        BrokerOrderPoller.Backoff(TimeSpan.FromMinutes(5)).ShouldBeGreaterThan(BrokerOrderPoller.Backoff(TimeSpan.FromSeconds(5)));
        BrokerOrderPoller.Backoff(TimeSpan.FromHours(2)).ShouldBeGreaterThan(BrokerOrderPoller.Backoff(TimeSpan.FromMinutes(5)));
    }
}
