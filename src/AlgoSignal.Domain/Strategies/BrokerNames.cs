namespace AlgoSignal.Domain.Strategies;

/// <summary>The brokers a strategy's routes can name; <see cref="Paper"/> is AlgoSignal's own simulated broker.</summary>
public static class BrokerNames
{
    public const string Paper = "paper";
    public const string InteractiveBrokers = "interactive_brokers";
    public const string TradeStation = "tradestation";
    public const string Bybit = "bybit";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Paper, InteractiveBrokers, TradeStation, Bybit };
}
