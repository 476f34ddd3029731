namespace AlgoSignal.Brokers;

/// <summary>
/// One live broker, as the pipeline sees it: a <see cref="ITradingVenue"/> called after the alert's transaction
/// commits. Business answers are values (<see cref="PlaceResult"/>); transport faults that may have reached the
/// broker come back as <see cref="PlaceOutcome.Unknown"/>, so the caller asks <see cref="GetOrderAsync"/> by the
/// client order id before any retry.
/// </summary>
public interface IBrokerAdapter : ITradingVenue
{
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
