namespace AlgoSignal.Persistence.Entities;

public sealed class StrategyEntity
{
    public required string Name { get; set; }
    public bool Enabled { get; set; }
    public required string Mode { get; set; }

    /// <summary>The whole definition as JSON (snake_case), so new rules need no schema change.</summary>
    public required string Definition { get; set; }

    /// <summary>SHA-256 of the webhook token; the token itself is never stored.</summary>
    public byte[]? WebhookTokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
