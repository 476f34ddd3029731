namespace AlgoSignal.Brokers;

/// <summary>
/// One broker, as the pipeline sees it. Business answers are values (<see cref="PlaceResult"/>);
/// transport faults that may have reached the broker come back as <see cref="PlaceOutcome.Unknown"/>,
/// so the caller asks <see cref="GetOrderAsync"/> by the client order id before any retry.
/// </summary>
public interface IBrokerAdapter
{
    /// <summary>The name strategies route to (<c>bybit</c>, <c>tradestation</c>, <c>interactive_brokers</c>).</summary>
    string Name { get; }

    /// <summary>True when the configured endpoint trades real money (not a testnet, demo or simulator).</summary>
    bool IsLive { get; }

    /// <summary>Where the configured endpoint sends orders; anything not known or declared to be a test endpoint is live.</summary>
    BrokerEnvironment Environment { get; }

    /// <summary>Why the endpoint is in <see cref="Environment"/>, naming the setting that changes it.</summary>
    string EnvironmentReason { get; }

    /// <summary>What the broker supports, checked before an order is sent.</summary>
    BrokerCapabilities Capabilities { get; }

    /// <summary>Submits an order; a repeat of the same client order id is recognised as already placed.</summary>
    Task<PlaceResult> PlaceAsync(BrokerOrder order, CancellationToken cancellationToken);

    /// <summary>The order by its client order id, or null when the broker has never seen it.</summary>
    Task<BrokerOrderStatus?> GetOrderAsync(BrokerOrder order, CancellationToken cancellationToken);

    /// <summary>Cancels a resting order.</summary>
    Task<PlaceResult> CancelAsync(BrokerOrder order, CancellationToken cancellationToken);

    /// <summary>The broker's name for an AlgoSignal (TradingView-form) symbol, as positions are reported in.</summary>
    string BrokerSymbol(string symbol);

    /// <summary>Every open position of the configured account, for reconciliation with AlgoSignal's books.</summary>
    Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken);

    /// <summary>Every order working at the broker for the configured account (not filled, cancelled or rejected), for reconciliation.</summary>
    Task<IReadOnlyList<BrokerOpenOrder>> GetOpenOrdersAsync(CancellationToken cancellationToken);
}
