namespace AlgoSignal.Domain.Sizing;

public sealed record SizingResult(decimal Quantity, string? RejectionReason)
{
    public bool IsRejected => RejectionReason is not null;

    public static SizingResult Reject(string reason) => new(0m, reason);
}
