using AlgoSignal.Contracts;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData;
using AlgoSignal.MarketData.TradingView;
using MassTransit;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// Fetches bars for the API (request/response) and says when their quality degrades: once per episode of
/// <c>MarketData:Quality:MaxConsecutiveFailures</c> degraded fetches in a row, not on every fetch.
/// </summary>
public sealed class FetchBarsConsumer(MarketDataFetcher fetcher) : IConsumer<FetchBars>
{
    public async Task Consume(ConsumeContext<FetchBars> context)
    {
        var request = context.Message;
        if (!Timeframe.TryParse(request.Timeframe, out var timeframe))
        {
            await context.RespondAsync(new FetchFailed("series_error", $"\"{request.Timeframe}\" is not a timeframe; use one of {string.Join(", ", Timeframe.Accepted)}."));
            return;
        }

        FetchOutcome outcome;
        try
        {
            outcome = await fetcher.FetchAsync(request.Exchange, request.Symbol, timeframe, request.Bars, request.Extended, context.CancellationToken);
        }
        catch (TvException ex)
        {
            await context.RespondAsync(new FetchFailed(ex.Kind, ex.Message));
            return;
        }

        var quality = outcome.Series.Quality!;
        if (outcome.RaiseDegraded)
        {
            await context.Publish(new DataQualityDegraded(
                outcome.Series.Key.Exchange, outcome.Series.Key.Symbol, outcome.Series.Key.Timeframe, quality.Score, quality.Level,
                quality.Findings.Take(10).Select(f => $"{f.Dimension}/{f.Rule}: {f.Detail}").ToList()), context.CancellationToken);
        }

        await context.RespondAsync(MarketDataService.ToMessage(outcome.Series, outcome.Cached));
    }
}
