using System.Text.Json;
using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// The bars of one request as TradingView's updates bring them: repeats replace (the forming bar, overlapping pages),
/// while every history point is also kept as it arrived, so the quality score sees what the source sent.
/// </summary>
internal sealed class TvSeriesBuilder(TvRequest request, TimeProvider time)
{
    private readonly SortedDictionary<long, Bar> _bars = [];

    // Every history point as it arrived, repeats included: the quality score measures what the source
    // sent, not what the merge made of it (a duplicate merged away before scoring could never count).
    private readonly List<Bar> _received = [];
    private TradingSession? _session;
    private bool _hasVolume = true;
    private string? _description;

    /// <summary>How many distinct bars are held so far.</summary>
    public int Count => _bars.Count;

    /// <summary>What <c>symbol_resolved</c> says of the symbol: its trading session, description and whether it has volume.</summary>
    public void ReadSymbol(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() < 3 || parameters[2].ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var info = parameters[2];
        var sessionText = info.TryGetProperty("session", out var s) ? s.GetString() : null;
        var zone = info.TryGetProperty("timezone", out var z) ? z.GetString() : null;
        _session = TradingSession.TryParse(sessionText, zone);
        _description = info.TryGetProperty("description", out var d) ? d.GetString() : null;
        if (info.TryGetProperty("has_no_volume", out var noVolume) && noVolume.ValueKind == JsonValueKind.True)
        {
            _hasVolume = false;
        }
    }

    /// <returns>The newest bar of the update, if it carried any.</returns>
    public Bar? ReadBars(JsonElement parameters, bool history)
    {
        if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() < 2 || parameters[1].ValueKind != JsonValueKind.Object
            || !parameters[1].TryGetProperty("s1", out var series) || !series.TryGetProperty("s", out var points) || points.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        Bar? newest = null;

        foreach (var point in points.EnumerateArray())
        {
            if (!point.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() < 5)
            {
                continue;
            }

            var seconds = (long)v[0].GetDouble();
            var volume = v.GetArrayLength() > 5 && v[5].ValueKind == JsonValueKind.Number ? v[5].GetDouble() : (double?)null;
            if (volume is null)
            {
                _hasVolume = false;
            }

            // Repeated bars (updates of the forming one, overlapping pages) replace, never duplicate.
            var bar = new Bar(DateTimeOffset.FromUnixTimeSeconds(seconds), Number(v[1]), Number(v[2]), Number(v[3]), Number(v[4]), volume);
            _bars[seconds] = bar;
            if (history)
            {
                _received.Add(bar);
            }
            if (newest is null || bar.Time >= newest.Time)
            {
                newest = bar;
            }
        }

        return newest;
    }

    /// <summary>The requested number of newest bars, the last marked forming while its period runs.</summary>
    public TvSeries Result()
    {
        var now = time.GetUtcNow();
        var bars = _bars.Values.TakeLast(request.Bars).ToList();
        if (bars.Count > 0 && bars[^1].Time + request.Timeframe.Length > now)
        {
            bars[^1] = bars[^1] with { IsForming = true };
        }

        var received = bars.Count == 0 ? [] : _received.Where(b => b.Time >= bars[0].Time).Select(b => b.Time == bars[^1].Time ? b with { IsForming = bars[^1].IsForming } : b).ToList();
        if (!_hasVolume)
        {
            bars = bars.Select(b => b with { Volume = null }).ToList();
            received = received.Select(b => b with { Volume = null }).ToList();
        }

        return new TvSeries(bars, _session, _hasVolume, _description) { Received = received };
    }

    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.Number ? element.GetDouble() : double.NaN;
}
