namespace AlgoSignal.Brokers;

/// <summary>
/// Where a strategy's route sends its orders: a live broker's adapter (<see cref="IBrokerAdapter"/>) or the paper
/// broker (<see cref="Paper.PaperBroker"/>). The route is gated and checked against these alike; only how an order
/// is placed differs: a live broker is called after the alert's transaction commits, the paper broker inside it.
/// </summary>
public interface ITradingVenue
{
    /// <summary>The name strategies route to (<c>paper</c>, <c>bybit</c>, <c>tradestation</c>, <c>interactive_brokers</c>).</summary>
    string Name { get; }

    /// <summary>True when the venue trades real money (not a testnet, demo, simulator or the paper broker).</summary>
    bool IsLive { get; }

    /// <summary>Where the venue sends orders; anything not known or declared to be a test endpoint is live.</summary>
    BrokerEnvironment Environment { get; }

    /// <summary>Why the venue is in <see cref="Environment"/>, naming the setting that changes it.</summary>
    string EnvironmentReason { get; }

    /// <summary>What the venue supports, checked before an order is placed.</summary>
    BrokerCapabilities Capabilities { get; }
}
