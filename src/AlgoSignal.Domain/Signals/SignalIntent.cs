namespace AlgoSignal.Domain.Signals;

public enum SignalIntent
{
    /// <summary>Opens or adds to a position.</summary>
    Entry,

    /// <summary>Reduces or closes a position; never opens one.</summary>
    Exit,

    /// <summary>Cancels the resting orders of the symbol.</summary>
    Cancel,
}
