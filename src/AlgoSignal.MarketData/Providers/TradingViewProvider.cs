using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Providers;

/// <summary>TradingView's chart WebSocket as a provider; <c>MarketData:TradingView:Enabled=false</c> switches it off.</summary>
public sealed class TradingViewProvider(TradingViewClient client, IOptions<TradingViewOptions> options) : IMarketDataProvider
{
    public string Name => ProviderNames.TradingView;

    public Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        EnsureEnabled(options.Value);
        return client.FetchAsync(request, cancellationToken);
    }

    public Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        EnsureEnabled(options.Value);
        return client.StreamAsync(request, onBar, cancellationToken);
    }

    public Task<IReadOnlyList<OpenInterestPoint>> OpenInterestAsync(string exchange, string symbol, Timeframe interval, int limit, CancellationToken cancellationToken) =>
        throw new TvException(ProviderErrors.NotSupported,
            $"TradingView's chart protocol carries no open interest for {exchange}:{symbol}; open interest is served for BYBIT: symbols (and by the mock provider).");

    public Task<PutCallRatio> PutCallRatioAsync(string baseCoin, CancellationToken cancellationToken) =>
        throw new TvException(ProviderErrors.NotSupported, $"TradingView's chart protocol carries no option open interest for {baseCoin}; the put/call ratio comes from Bybit's options (or the mock provider).");

    /// <summary>Throws the 503-kind failure that names the setting when TradingView is switched off.</summary>
    public static void EnsureEnabled(TradingViewOptions settings)
    {
        if (!settings.Enabled)
        {
            throw new TvException(ProviderErrors.Disabled, DisabledMessage);
        }
    }

    public const string DisabledMessage = "TradingView is switched off (MarketData:TradingView:Enabled=false); set it to true, or serve the symbol from another provider (MarketData:Provider, MarketData:ProviderByExchange, USE_MOCK_DATA=true).";
}
