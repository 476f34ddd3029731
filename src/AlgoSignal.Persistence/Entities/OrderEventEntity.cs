namespace AlgoSignal.Persistence.Entities;

public sealed class OrderEventEntity
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public required string Type { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? Price { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>For a paper fill or trigger: <c>alert</c> or <c>market</c> (Domain's FillTriggers).</summary>
    public string? FillTrigger { get; set; }

    /// <summary>The observed price that triggered it (before slippage).</summary>
    public decimal? TriggerPrice { get; set; }

    /// <summary>When that price was observed: the alert's processing time or the market price's time.</summary>
    public DateTimeOffset? TriggeredAt { get; set; }
}
