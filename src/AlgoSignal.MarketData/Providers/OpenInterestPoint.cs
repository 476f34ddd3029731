namespace AlgoSignal.MarketData.Providers;

/// <summary>Open interest at <paramref name="Time"/> (UTC), in the contract's units (coins for linear perpetuals).</summary>
public sealed record OpenInterestPoint(DateTimeOffset Time, double OpenInterest);
