namespace AlgoSignal.Domain.Strategies;

public static class SizingModes
{
    public const string Fixed = "fixed";
    public const string Notional = "notional";
    public const string PercentEquity = "percent_equity";
    public const string RiskPercent = "risk_percent";
}
