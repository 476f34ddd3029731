using AlgoSignal.ServiceDefaults;
using MassTransit;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Queue;

/// <summary>
/// The one-second reconnect interval replaces a policy MassTransit keeps in a private field; a
/// MassTransit upgrade that moves it fails here, not silently in an outage.
/// </summary>
public sealed class Reconnecting_to_rabbitmq
{
    [Fact]
    public void Should_replace_the_growing_back_off_of_the_installed_masstransit()
    {
        bool? applied = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => applied = RabbitMqReconnect.TryApply(cfg));
        bus.ShouldNotBeNull();
        applied.ShouldBe(true);
    }
}
