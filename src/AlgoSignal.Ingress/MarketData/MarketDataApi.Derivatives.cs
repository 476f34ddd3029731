using System.Globalization;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.MarketData;

// Derivatives data asked of the provider directly: open interest of a contract, the put/call ratio of a coin's options.
public static partial class MarketDataApi
{
    /// <summary>
    /// Open interest of a contract from its provider (Bybit for <c>BYBIT:</c> symbols, the mock provider offline),
    /// oldest first. Asked of the provider directly: one small REST call, not worth the worker's queue.
    /// </summary>
    public static async Task<Results<Ok<object>, ProblemHttpResult>> GetOpenInterestAsync(
        string? symbol, string? interval, int? limit, MarketDataProviders providers, CancellationToken cancellationToken)
    {
        var text = symbol?.Trim() ?? "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var errors = new List<string>();
        if (colon <= 0 || !SymbolText.IsExchange(text[..colon]) || !SymbolText.IsSymbol(text[(colon + 1)..]))
        {
            errors.Add("symbol is required as EXCHANGE:SYMBOL, e.g. BYBIT:BTCUSDT.");
        }

        if (!Timeframe.TryParse(interval ?? "1h", out var parsed))
        {
            errors.Add($"interval \"{interval}\" is not valid; use 5m, 15m, 30m, 1h, 4h or 1d.");
        }

        var count = limit ?? 200;
        if (count is < 1 or > MaxOpenInterestPoints)
        {
            errors.Add($"limit must be between 1 and {MaxOpenInterestPoints}.");
        }

        if (errors.Count > 0)
        {
            return TypedResults.Problem(title: "Invalid request", detail: string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest);
        }

        var exchange = text[..colon].ToUpperInvariant();
        var ticker = text[(colon + 1)..].ToUpperInvariant();
        try
        {
            var points = await providers.For(exchange).OpenInterestAsync(exchange, ticker, parsed, count, cancellationToken);
            return TypedResults.Ok<object>(new
            {
                symbol = $"{exchange}:{ticker}",
                interval = interval ?? "1h",
                source = providers.NameFor(exchange),
                points = points.Select(p => new { time = p.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), open_interest = p.OpenInterest }),
            });
        }
        catch (TvException ex)
        {
            return Failure(ex);
        }
    }

    /// <summary>The put/call ratio of a base coin's options (Bybit's option tickers; the mock provider offline).</summary>
    public static async Task<Results<Ok<object>, ProblemHttpResult>> GetPutCallRatioAsync(string? @base, MarketDataProviders providers, CancellationToken cancellationToken)
    {
        var coin = @base?.Trim().ToUpperInvariant() ?? "";
        if (coin.Length is < 2 or > 10 || !coin.All(char.IsAsciiLetterOrDigit))
        {
            return TypedResults.Problem(title: "Invalid request", detail: "base is required: the options' base coin, e.g. BTC.", statusCode: StatusCodes.Status400BadRequest);
        }

        var provider = providers.For("BYBIT");
        try
        {
            var ratio = await provider.PutCallRatioAsync(coin, cancellationToken);
            return TypedResults.Ok<object>(new
            {
                @base = ratio.Base,
                ratio = ratio.Ratio,
                put_open_interest = ratio.PutOpenInterest,
                call_open_interest = ratio.CallOpenInterest,
                options = ratio.Options,
                time = ratio.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                source = provider.Name,
            });
        }
        catch (TvException ex)
        {
            return Failure(ex);
        }
    }
}
