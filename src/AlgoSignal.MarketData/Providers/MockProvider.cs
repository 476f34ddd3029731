using System.Collections.Concurrent;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Providers;

/// <summary>
/// Market data without a network (README: offline mode): every symbol has bars from <see cref="MockMarket"/>,
/// or, when <c>MarketData:Mock:ReplayPath</c> holds a dataset for the series, that dataset re-timed to end
/// now; the live feed sends the forming bar every <c>MarketData:Mock:TickMilliseconds</c>. Open interest is
/// synthesised the same way.
/// </summary>
public sealed class MockProvider(IOptions<MockDataOptions> options, TimeProvider time) : IMarketDataProvider
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<Bar>?> _replays = new(StringComparer.OrdinalIgnoreCase);

    public string Name => ProviderNames.Mock;

    public async Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bars = await ReplayAsync(request, now, cancellationToken) is { } replayed
            ? replayed.TakeLast(request.Bars).ToList()
            : MockMarket.History(request.FullSymbol, request.Timeframe, request.Bars, now, options.Value.Amplitude);
        return new TvSeries(bars, TradingSession.AlwaysOpen, HasVolume: true, $"Mock {request.FullSymbol}");
    }

    public async Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromMilliseconds(options.Value.TickMilliseconds);
        var replay = await ReplayAsync(request, time.GetUtcNow(), cancellationToken);
        for (var step = 0; !cancellationToken.IsCancellationRequested; step++)
        {
            var now = time.GetUtcNow();
            var bar = replay is { Count: > 0 }
                ? ReplayTick(replay, request.Timeframe, now, step)
                : MockMarket.BarAt(request.FullSymbol, request.Timeframe, MockMarket.CurrentStart(request.Timeframe, now), now, options.Value.Amplitude);
            await onBar(bar);
            await Task.Delay(tick, time, cancellationToken);
        }
    }

    public Task<IReadOnlyList<OpenInterestPoint>> OpenInterestAsync(string exchange, string symbol, Timeframe interval, int limit, CancellationToken cancellationToken)
    {
        // Open interest drifts with the price's slow wave around a level of its own.
        // One more than asked: the running interval has no open interest reading yet.
        var bars = MockMarket.History($"{exchange}:{symbol}:OI", interval, limit + 1, time.GetUtcNow(), options.Value.Amplitude);
        IReadOnlyList<OpenInterestPoint> points = bars.Where(b => !b.IsForming).TakeLast(limit).Select(b => new OpenInterestPoint(b.Time, Math.Round(b.Close * 1_000, 3))).ToList();
        return Task.FromResult(points);
    }

    public Task<PutCallRatio> PutCallRatioAsync(string baseCoin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var amplitude = options.Value.Amplitude;
        var puts = Math.Round(MockMarket.PriceAt($"{baseCoin}:PUTS", now, amplitude) * 100, 2);
        var calls = Math.Round(MockMarket.PriceAt($"{baseCoin}:CALLS", now, amplitude) * 100, 2);
        return Task.FromResult(new PutCallRatio(baseCoin, Math.Round(puts / calls, 4), puts, calls, 2, now));
    }

    /// <summary>The replayed dataset for the series, re-timed so its newest bar is the one forming now; null when none.</summary>
    private async Task<IReadOnlyList<Bar>?> ReplayAsync(TvRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.ReplayPath is not { Length: > 0 } folder)
        {
            return null;
        }

        var name = $"{request.Exchange}_{request.Symbol}_{request.Timeframe.Code}.csv";
        if (!_replays.TryGetValue(name, out var source))
        {
            var path = Path.Combine(folder, name);
            source = File.Exists(path) ? await DatasetExporter.ReadAsync(path, cancellationToken) : null;
            _replays[name] = source;
        }

        if (source is not { Count: > 0 })
        {
            return null;
        }

        var shift = MockMarket.CurrentStart(request.Timeframe, now) - source[^1].Time;
        return source.Select((b, i) => b with { Time = b.Time + shift, IsForming = i == source.Count - 1 }).ToList();
    }

    /// <summary>The forming bar of a replay: the dataset's closes in turn, one a tick, within the bar's range so far.</summary>
    private static Bar ReplayTick(IReadOnlyList<Bar> replay, Timeframe timeframe, DateTimeOffset now, int step)
    {
        var last = replay[^1];
        var close = replay[step % replay.Count].Close;
        return last with
        {
            Time = MockMarket.CurrentStart(timeframe, now),
            High = Math.Max(last.High, close),
            Low = Math.Min(last.Low, close),
            Close = close,
            IsForming = true,
        };
    }
}
