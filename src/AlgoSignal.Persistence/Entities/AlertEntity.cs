namespace AlgoSignal.Persistence.Entities;

public sealed class AlertEntity
{
    public Guid AlertId { get; set; }
    public required string Source { get; set; }
    public string? SourceIp { get; set; }
    public string? Strategy { get; set; }
    public string? SenderAlertId { get; set; }
    public required string Status { get; set; }
    public string? Reason { get; set; }
    public Guid? DuplicateOf { get; set; }
    public string? DedupeKey { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string Payload { get; set; }
    public string? Signal { get; set; }
}
