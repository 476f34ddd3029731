namespace AlgoSignal.Domain.Strategies;

/// <summary><c>fixed</c> (<see cref="Quantity"/>), <c>notional</c> (<see cref="Amount"/>), <c>percent_equity</c> or <c>risk_percent</c> (<see cref="Percent"/>).</summary>
public sealed record SizingRule
{
    public string Mode { get; init; } = SizingModes.Fixed;
    public decimal? Quantity { get; init; } = 1m;
    public decimal? Amount { get; init; }
    public decimal? Percent { get; init; }
}
