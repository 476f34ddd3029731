using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>Bars as received (UTC, oldest first, the forming bar marked) and what the server said of the symbol.</summary>
public sealed record TvSeries(IReadOnlyList<Bar> Bars, TradingSession? Session, bool HasVolume, string? Description)
{
    /// <summary>
    /// The history points of <see cref="Bars"/>' range exactly as the source sent them, in arrival order and
    /// with any repeated timestamp kept; what the quality score is measured on. Defaults to <see cref="Bars"/>.
    /// </summary>
    public IReadOnlyList<Bar> Received
    {
        get => _received ?? Bars;
        init => _received = value;
    }

    private readonly IReadOnlyList<Bar>? _received;
}
