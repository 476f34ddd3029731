namespace AlgoSignal.Persistence.Entities;

/// <summary>A notification channel's delivery state: last success and failure, and its rest after failures.</summary>
public sealed class NotificationChannelEntity
{
    public required string Channel { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public DateTimeOffset? LastFailureAt { get; set; }
    public string? LastError { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset? PausedUntil { get; set; }
}
