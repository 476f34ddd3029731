using System.Collections.Concurrent;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// The newest market price of each symbol the paper broker follows (its live feed), so an order that
/// arrives without a price can fill at the market. One per process; prices older than
/// <c>Brokers:Paper:MaxQuoteAgeSeconds</c> are not used.
/// </summary>
public sealed class PaperMarket
{
    private readonly ConcurrentDictionary<string, PaperQuote> _quotes = new(StringComparer.OrdinalIgnoreCase);

    public void Update(string symbol, decimal price, DateTimeOffset at) =>
        _quotes.AddOrUpdate(symbol, new PaperQuote(price, at), (_, old) => old.At > at ? old : new PaperQuote(price, at));

    public PaperQuote? Latest(string symbol, DateTimeOffset now, TimeSpan maxAge) =>
        _quotes.TryGetValue(symbol, out var quote) && now - quote.At <= maxAge ? quote : null;
}
