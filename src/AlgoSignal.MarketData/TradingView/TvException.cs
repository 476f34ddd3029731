namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// TradingView could not deliver: <see cref="Kind"/> says why (<c>symbol_error</c>, <c>series_error</c>,
/// <c>critical_error</c>, <c>protocol_error</c>, <c>login_failed</c>, <c>timeout</c>, <c>disconnected</c>).
/// Timeouts and disconnects are <see cref="Transient"/> and retried; errors the server names are final.
/// </summary>
public sealed class TvException(string kind, string message, bool transient = false, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;

    public bool Transient { get; } = transient;
}
