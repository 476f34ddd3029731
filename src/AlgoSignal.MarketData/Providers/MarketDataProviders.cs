using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Providers;

/// <summary>
/// Picks the provider for a symbol: everything goes to the mock provider under <c>USE_MOCK_DATA=true</c>;
/// otherwise the exchange prefix's entry in <c>MarketData:ProviderByExchange</c> (built in: <c>BYBIT</c> →
/// bybit, <c>MOCK</c> → mock), otherwise <c>MarketData:Provider</c>.
/// </summary>
public sealed class MarketDataProviders
{
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BYBIT"] = ProviderNames.Bybit,
        ["MOCK"] = ProviderNames.Mock,
    };

    private readonly Dictionary<string, IMarketDataProvider> _byName;
    private readonly Dictionary<string, string> _byExchange;
    private readonly ProviderOptions _options;

    public MarketDataProviders(IEnumerable<IMarketDataProvider> providers, IOptions<ProviderOptions> options)
    {
        _options = options.Value;
        _byName = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _byExchange = new Dictionary<string, string>(BuiltIn, StringComparer.OrdinalIgnoreCase);
        foreach (var (exchange, name) in _options.ProviderByExchange)
        {
            if (!ProviderNames.All.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new OptionsValidationException(ProviderOptions.Section, typeof(ProviderOptions),
                    [$"MarketData:ProviderByExchange:{exchange} is \"{name}\"; use one of {string.Join(", ", ProviderNames.All)}."]);
            }

            _byExchange[exchange] = name;
        }
    }

    public bool UseMockData => _options.UseMockData;

    public string NameFor(string exchange) =>
        _options.UseMockData ? ProviderNames.Mock
        : _byExchange.TryGetValue(exchange.Trim(), out var name) ? name.ToLowerInvariant()
        : _options.Provider;

    public IMarketDataProvider For(string exchange) => Named(NameFor(exchange));

    public IMarketDataProvider Named(string name) =>
        _byName.TryGetValue(name, out var provider) ? provider : throw new InvalidOperationException($"No market-data provider named {name} is registered.");
}
