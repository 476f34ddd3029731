namespace AlgoSignal.MarketData.Providers;

/// <summary>Put open interest ÷ call open interest over a base coin's listed options, with both totals and when they were read.</summary>
public sealed record PutCallRatio(string Base, double Ratio, double PutOpenInterest, double CallOpenInterest, int Options, DateTimeOffset Time);
