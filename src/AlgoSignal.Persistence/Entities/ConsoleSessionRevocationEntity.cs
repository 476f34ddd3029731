namespace AlgoSignal.Persistence.Entities;

/// <summary>A console session signed out before its expiry; kept until that expiry passes (migration 0013).</summary>
public sealed class ConsoleSessionRevocationEntity
{
    public required string SessionId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
