namespace AlgoSignal.Domain.Strategies;

/// <summary>A strategy as registered (README, "Strategy API"): where its alerts go and the rules they must pass.</summary>
public sealed record StrategyDefinition
{
    public required string Name { get; init; }
    public bool Enabled { get; init; } = true;
    public string Mode { get; init; } = StrategyModes.Paper;
    public IReadOnlyList<StrategyRoute> Routes { get; init; } = [new StrategyRoute(BrokerNames.Paper, "paper-1")];
    public IReadOnlyList<string> Symbols { get; init; } = [];
    public IReadOnlyList<string> Timeframes { get; init; } = [];
    public SizingRule Sizing { get; init; } = new();
    public decimal RiskMultiplier { get; init; } = 1m;
    public int MaxPositions { get; init; } = 5;
    public decimal? MaxPositionQuantity { get; init; }
    public decimal? MaxOrderNotional { get; init; }
    public decimal? MaxDailyLoss { get; init; }
    public int MaxOrdersPerMinute { get; init; } = 30;
    public TradingWindow? TradingWindow { get; init; }
    public int MaxSignalAgeSeconds { get; init; } = 60;
    public bool AllowShort { get; init; } = true;
    public int Pyramiding { get; init; } = 1;
}
