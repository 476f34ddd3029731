namespace AlgoSignal.Persistence.Entities;

/// <summary>The one global kill switch (row id 1).</summary>
public sealed class KillSwitchEntity
{
    public int Id { get; set; } = 1;
    public bool Enabled { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who made the last change: an API key's label or a console session, with the address (never a key).</summary>
    public string? UpdatedBy { get; set; }
}
