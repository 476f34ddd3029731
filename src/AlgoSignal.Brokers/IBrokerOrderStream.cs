namespace AlgoSignal.Brokers;

/// <summary>
/// A broker's push interface for order changes (Bybit's private WebSocket, TradeStation's order stream). One call is one
/// connection: it connects, authenticates and subscribes, calls <c>onReady</c> once updates flow, then hands every order
/// change to <c>onUpdate</c> until the connection ends. It returns when the broker asks for a reconnect and throws when
/// the connection fails or goes silent; the caller reconnects with back-off and polls meanwhile.
/// </summary>
public interface IBrokerOrderStream
{
    /// <summary>The broker's name, as in <see cref="IBrokerAdapter.Name"/>.</summary>
    string Name { get; }

    /// <summary>Where the stream connects (for the log; never carries a credential).</summary>
    string Endpoint { get; }

    /// <summary>
    /// True when every connection first reports the state of every open order (TradeStation's snapshot), so changes
    /// missed while disconnected arrive anyway; otherwise orders older than the connection are polled once.
    /// </summary>
    bool SendsSnapshot { get; }

    Task RunAsync(Func<BrokerOrderUpdate, CancellationToken, Task> onUpdate, Action onReady, CancellationToken cancellationToken);
}
