namespace AlgoSignal.Persistence.Entities;

/// <summary>What the worker last saw of a component only it talks to (a live broker), for the health page.</summary>
public sealed class ComponentStatusEntity
{
    public required string Component { get; set; }
    public required string State { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public DateTimeOffset? LastFailureAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
