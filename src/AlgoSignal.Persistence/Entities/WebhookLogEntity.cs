namespace AlgoSignal.Persistence.Entities;

public sealed class WebhookLogEntity
{
    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string Route { get; set; }
    public string? SourceIp { get; set; }
    public int Status { get; set; }
    public string? Reason { get; set; }
    public Guid? AlertId { get; set; }
    public string? Strategy { get; set; }
    public string? Payload { get; set; }
    public int Count { get; set; } = 1;
}
