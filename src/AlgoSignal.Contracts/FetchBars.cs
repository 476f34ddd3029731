namespace AlgoSignal.Contracts;

/// <summary>Asks the market-data worker for bars (request/response: <see cref="BarsFetched"/> or <see cref="FetchFailed"/>).</summary>
/// <param name="Exchange">e.g. <c>BINANCE</c>.</param>
/// <param name="Symbol">e.g. <c>BTCUSDT</c>.</param>
/// <param name="Timeframe">A timeframe form the API accepts (<c>1h</c>, <c>60</c>, <c>1D</c>…).</param>
/// <param name="Bars">How many of the newest bars.</param>
/// <param name="Extended">Extended trading hours where the market has them.</param>
public sealed record FetchBars(string Exchange, string Symbol, string Timeframe, int Bars, bool Extended = false);
