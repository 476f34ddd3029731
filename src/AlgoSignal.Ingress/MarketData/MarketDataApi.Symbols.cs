using AlgoSignal.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.MarketData;

// Symbol search: TradingView's, or the mock market's when offline.
public static partial class MarketDataApi
{
    public static async Task<Results<Ok<IReadOnlyList<SymbolMatch>>, ProblemHttpResult>> SearchSymbolsAsync(
        string? q, string? exchange, TvSymbolSearch search, IOptions<TradingViewOptions> options, MarketDataProviders providers, CancellationToken cancellationToken)
    {
        if (providers.UseMockData && !string.IsNullOrWhiteSpace(q) && q.Length <= 64 && SymbolText.IsSymbol(q.Trim().ToUpperInvariant()))
        {
            // Offline: every symbol exists in the mock market, under the exchange asked for (or MOCK).
            var market = exchange is { Length: > 0 } && SymbolText.IsExchange(exchange.Trim()) ? exchange.Trim().ToUpperInvariant() : "MOCK";
            IReadOnlyList<SymbolMatch> offline = [new SymbolMatch(q.Trim().ToUpperInvariant(), $"Mock {market}:{q.Trim().ToUpperInvariant()}", "mock", market, "")];
            return TypedResults.Ok(offline);
        }

        if (!options.Value.Enabled)
        {
            return Failure(new TvException(ProviderErrors.Disabled, TradingViewProvider.DisabledMessage));
        }

        if (string.IsNullOrWhiteSpace(q) || q.Length > 64)
        {
            return TypedResults.Problem(detail: "Give q, the text to search (1–64 characters), e.g. /api/v1/symbols?q=BTCUSDT.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            return TypedResults.Ok(await search.SearchAsync(q.Trim(), exchange, cancellationToken));
        }
        catch (TvException ex)
        {
            return TypedResults.Problem(title: "TradingView failed", detail: ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
