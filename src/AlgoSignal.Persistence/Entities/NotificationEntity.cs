namespace AlgoSignal.Persistence.Entities;

/// <summary>One event for one channel: what to say, and how its delivery went (README, Notifications).</summary>
public sealed class NotificationEntity
{
    public long Id { get; set; }
    public required string Event { get; set; }
    public required string Channel { get; set; }
    public required string DedupeKey { get; set; }
    public Guid? AlertId { get; set; }
    public string? Strategy { get; set; }
    public string? Symbol { get; set; }
    public required string Text { get; set; }
    public required string Data { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>The notification whose message carried this one in a summary (a burst over the channel's limit).</summary>
    public long? FoldedInto { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
