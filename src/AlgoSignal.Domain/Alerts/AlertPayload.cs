namespace AlgoSignal.Domain.Alerts;

/// <summary>An alert as the sender wrote it, parsed and normalised (lower-case enums, decimals).</summary>
public sealed record AlertPayload
{
    public string? Strategy { get; init; }
    public string Action { get; init; } = "";
    public string Symbol { get; init; } = "";
    public string? Exchange { get; init; }
    public string? AlertId { get; init; }
    public decimal? Price { get; init; }
    public decimal? Quantity { get; init; }
    public string OrderType { get; init; } = AlertOrderTypes.Market;
    public decimal? LimitPrice { get; init; }
    public decimal? StopPrice { get; init; }
    public string TimeInForce { get; init; } = AlertTimeInForce.Gtc;
    public decimal? TakeProfit { get; init; }
    public decimal? StopLoss { get; init; }
    public string? MarketPosition { get; init; }
    public string? PrevMarketPosition { get; init; }
    public decimal? PositionSize { get; init; }
    public string? Timeframe { get; init; }
    public string? Time { get; init; }
    public string? Message { get; init; }
    public string? Account { get; init; }

    /// <summary>The symbol without its exchange prefix (<c>BINANCE:BTCUSDT</c> → <c>BTCUSDT</c>).</summary>
    public string Ticker => Symbol.Contains(':', StringComparison.Ordinal) ? Symbol[(Symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : Symbol;

    /// <summary>The exchange from the field, else from the symbol prefix.</summary>
    public string? EffectiveExchange => Exchange ?? (Symbol.Contains(':', StringComparison.Ordinal) ? Symbol[..Symbol.IndexOf(':', StringComparison.Ordinal)] : null);
}
