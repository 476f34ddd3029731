namespace AlgoSignal.Domain.Alerts;

public static class AlertActions
{
    public const string Buy = "buy";
    public const string Long = "long";
    public const string Sell = "sell";
    public const string Short = "short";
    public const string CloseLong = "close_long";
    public const string CloseShort = "close_short";
    public const string Close = "close";
    public const string StopLoss = "stop_loss";
    public const string TakeProfit = "take_profit";
    public const string Cancel = "cancel";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Buy, Long, Sell, Short, CloseLong, CloseShort, Close, StopLoss, TakeProfit, Cancel,
    };

    public static readonly IReadOnlySet<string> MarketPositions = new HashSet<string>(StringComparer.Ordinal) { "long", "flat", "short" };
}
