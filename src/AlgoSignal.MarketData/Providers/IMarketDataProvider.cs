using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;

namespace AlgoSignal.MarketData.Providers;

/// <summary>
/// A source of market data (README: market data providers): OHLCV history, open interest where the
/// venue publishes it, and a live feed. Failures are <see cref="TvException"/>s whose kind says why;
/// <see cref="ProviderErrors"/> names the kinds every provider shares.
/// </summary>
public interface IMarketDataProvider
{
    /// <summary>The name configuration selects it by (<c>MarketData:Provider</c>) and answers report as their source.</summary>
    string Name { get; }

    /// <summary>The newest <see cref="TvRequest.Bars"/> bars, oldest first, the forming one marked; paged as the source needs.</summary>
    Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Follows a symbol live: every new or changed bar goes to <paramref name="onBar"/> until cancelled.
    /// Returns when the source ends the feed (the caller reconnects); throws what the source names.
    /// </summary>
    Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken);

    /// <summary>Open interest, oldest first; <see cref="ProviderErrors.NotSupported"/> where the source has none.</summary>
    Task<IReadOnlyList<OpenInterestPoint>> OpenInterestAsync(string exchange, string symbol, Timeframe interval, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The put/call ratio of a base coin's options (put open interest ÷ call open interest);
    /// <see cref="ProviderErrors.NotSupported"/> where the source lists no options. A source of Indian
    /// derivatives data would plug in here.
    /// </summary>
    Task<PutCallRatio> PutCallRatioAsync(string baseCoin, CancellationToken cancellationToken);
}
