using AlgoSignal.Domain.MarketData;
using AlgoSignal.Ingress.Api;
using AlgoSignal.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>The market-data API (README: market data): OHLC, historical with quality, symbol search, cache stats and clear; rate-limited per API key.</summary>
/// <remarks>
/// Here the routes and the bar series (OHLC, historical) with their checks and failures; open interest and the put/call
/// ratio in <c>MarketDataApi.Derivatives.cs</c>, symbol search in <c>MarketDataApi.Symbols.cs</c>, the cache in <c>MarketDataApi.Cache.cs</c>.
/// </remarks>
public static partial class MarketDataApi
{
    public const int MaxOpenInterestPoints = 1_000;

    public static IEndpointRouteBuilder MapMarketDataApi(this IEndpointRouteBuilder app)
    {
        var tv = app.MapGroup("/api/tv").WithTags("Market data").AddEndpointFilter<ApiKeyFilter>().RequireRateLimiting(MarketDataRateLimitPolicy.Name);
        tv.MapGet("/ohlc", GetOhlcAsync).WithName("GetOhlc");
        var v1 = app.MapGroup("/api/v1").WithTags("Market data").AddEndpointFilter<ApiKeyFilter>().RequireRateLimiting(MarketDataRateLimitPolicy.Name);
        v1.MapPost("/data/historical", GetHistoricalAsync).WithName("GetHistorical");
        v1.MapGet("/symbols", SearchSymbolsAsync).WithName("SearchSymbols");
        v1.MapGet("/cache/stats", GetStatsAsync).WithName("GetCacheStats");
        v1.MapDelete("/cache/clear", ClearAsync).WithName("ClearCache");
        v1.MapGet("/data/open-interest", GetOpenInterestAsync).WithName("GetOpenInterest");
        v1.MapGet("/data/put-call-ratio", GetPutCallRatioAsync).WithName("GetPutCallRatio");
        app.MapPaperEquityApi();
        return app;
    }

    public static async Task<Results<OhlcResult, ProblemHttpResult>> GetOhlcAsync(
        string? symbol, string? exchange, string? timeframe, [FromQuery(Name = "n_bars")] int? bars,
        MarketDataService service, IOptions<TradingViewOptions> options, CancellationToken cancellationToken)
    {
        var (request, problem) = Validate(symbol, exchange, timeframe, bars ?? 5_000, options.Value.MaxBars);
        if (problem is not null)
        {
            return problem;
        }

        var (answer, failure) = await FetchAsync(service, request!, useCache: true, extended: false, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return new OhlcResult(request!.Symbol, request.Exchange, request.Timeframe.Code, answer!);
    }

    public static async Task<Results<Ok<object>, ProblemHttpResult>> GetHistoricalAsync(
        HistoricalRequest? body, MarketDataService service, IOptions<TradingViewOptions> options, CancellationToken cancellationToken)
    {
        var (request, problem) = Validate(body?.Symbol, null, body?.Timeframe, body?.Count ?? 1_000, options.Value.MaxBars);
        if (problem is not null)
        {
            return problem;
        }

        var (answer, failure) = await FetchAsync(service, request!, body!.UseCache ?? true, body.Extended ?? false, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var series = answer!.Series;
        var quality = body.QualityCheck ?? true ? series.Quality : null;
        return TypedResults.Ok<object>(new
        {
            status = "success",
            data = new
            {
                symbol = $"{request!.Exchange}:{request.Symbol}",
                timeframe = request.Timeframe.Code,
                klines = series.Bars.Select(b => new { timestamp = b.Time.ToUnixTimeSeconds(), open = b.Open, high = b.High, low = b.Low, close = b.Close, volume = b.Volume }),
            },
            metadata = new
            {
                quality_score = quality?.Score,
                quality = quality is null ? null : new
                {
                    completeness = quality.Completeness,
                    accuracy = quality.Accuracy,
                    consistency = quality.Consistency,
                    timeliness = quality.Timeliness,
                    validity = quality.Validity,
                    uniqueness = quality.Uniqueness,
                    level = quality.Level,
                    findings = quality.Findings,
                },
                source = answer.Source,
                cached_at = series.FetchedAt,
                count = series.Bars.Count,
                has_volume = series.HasVolume,
            },
        });
    }

    private static (SeriesRequest? Request, ProblemHttpResult? Problem) Validate(string? symbol, string? exchange, string? timeframe, int bars, int maxBars)
    {
        var errors = new List<string>();
        var text = symbol?.Trim() ?? "";
        if (text.Contains(':', StringComparison.Ordinal))
        {
            exchange ??= text[..text.IndexOf(':', StringComparison.Ordinal)];
            text = text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        if (!SymbolText.IsSymbol(text))
        {
            errors.Add("symbol is required, e.g. BTCUSDT (or BINANCE:BTCUSDT).");
        }

        if (exchange is null || !SymbolText.IsExchange(exchange.Trim()))
        {
            errors.Add("exchange is required, e.g. BINANCE (or write the symbol as BINANCE:BTCUSDT).");
        }

        if (!Timeframe.TryParse(timeframe, out var parsed))
        {
            errors.Add($"timeframe \"{timeframe}\" is not valid; use one of {string.Join(", ", Timeframe.Accepted)}.");
        }

        if (bars < 1 || bars > maxBars)
        {
            errors.Add($"n_bars must be between 1 and {maxBars}.");
        }

        return errors.Count > 0
            ? (null, TypedResults.Problem(title: "Invalid request", detail: string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest))
            : (new SeriesRequest(exchange!.Trim().ToUpperInvariant(), text.ToUpperInvariant(), parsed, bars), null);
    }

    private static async Task<(MarketDataAnswer? Answer, ProblemHttpResult? Failure)> FetchAsync(
        MarketDataService service, SeriesRequest request, bool useCache, bool extended, CancellationToken cancellationToken)
    {
        try
        {
            return (await service.GetAsync(request.Exchange, request.Symbol, request.Timeframe, request.Bars, useCache, extended, cancellationToken), null);
        }
        catch (TvException ex)
        {
            return (null, Failure(ex));
        }
        catch (RequestTimeoutException)
        {
            return (null, TypedResults.Problem(title: "Market data source failed (timeout)", detail: "The market-data worker did not answer in time. Is the worker running?", statusCode: StatusCodes.Status502BadGateway));
        }
    }

    /// <summary>
    /// A provider's failure as the API's problem: 503 when the source is switched off (naming the
    /// setting), 400 when it has no such data, 502 for what the source itself reported.
    /// </summary>
    public static ProblemHttpResult Failure(TvException ex) => ex.Kind switch
    {
        ProviderErrors.Disabled => TypedResults.Problem(title: "Market data source switched off", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable),
        ProviderErrors.NotSupported => TypedResults.Problem(title: "Not available from this source", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest),
        _ => TypedResults.Problem(title: $"Market data source failed ({ex.Kind})", detail: ex.Message, statusCode: StatusCodes.Status502BadGateway),
    };

    private sealed record SeriesRequest(string Exchange, string Symbol, Timeframe Timeframe, int Bars);
}
