namespace AlgoSignal.Domain.Signals;

/// <summary>The legs an alert maps to, or why it maps to nothing.</summary>
public sealed record SignalMapping(IReadOnlyList<SignalLeg> Legs, string? RejectionReason)
{
    public bool IsRejected => RejectionReason is not null;

    public static SignalMapping Reject(string reason) => new([], reason);

    public static SignalMapping Of(params SignalLeg[] legs) => new(legs, null);
}
