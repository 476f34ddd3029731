namespace AlgoSignal.Domain.Strategies;

public static class StrategyModes
{
    public const string Paper = "paper";
    public const string Live = "live";
}
