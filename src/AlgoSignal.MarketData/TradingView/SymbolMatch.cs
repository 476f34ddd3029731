namespace AlgoSignal.MarketData.TradingView;

/// <summary>One symbol search result; use <c>{Exchange}:{Symbol}</c> to fetch it.</summary>
public sealed record SymbolMatch(string Symbol, string Description, string Type, string Exchange, string Currency);
