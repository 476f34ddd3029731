using AlgoSignal.Contracts;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// The last kill-switch change this process heard of (from any ingress, through RabbitMQ), so the
/// overview can say who flipped the switch when the stored state is that change.
/// </summary>
public sealed class KillSwitchChanges
{
    private KillSwitchChanged? _last;

    public KillSwitchChanged? Last => Volatile.Read(ref _last);

    public void Record(KillSwitchChanged change)
    {
        KillSwitchChanged? current;
        do
        {
            current = Volatile.Read(ref _last);
            if (current is not null && current.ChangedAt > change.ChangedAt)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _last, change, current) != current);
    }

    /// <summary>Who made the change stored at <paramref name="updatedAt"/>, when this process heard of it.</summary>
    public string? WhoChangedAt(DateTimeOffset updatedAt) =>
        Last is { } last && Math.Abs((last.ChangedAt - updatedAt).TotalMilliseconds) < 1 ? last.ChangedBy : null;
}
