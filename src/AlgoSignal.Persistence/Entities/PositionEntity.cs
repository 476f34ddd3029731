namespace AlgoSignal.Persistence.Entities;

public sealed class PositionEntity
{
    public required string Broker { get; set; }
    public required string Account { get; set; }
    public required string Symbol { get; set; }
    public decimal Quantity { get; set; }
    public decimal AveragePrice { get; set; }
    public decimal RealizedPnl { get; set; }
    public decimal? LastPrice { get; set; }

    /// <summary>Entries since the position was last flat (pyramiding).</summary>
    public int Entries { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
