using System.Collections.Concurrent;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// The live events of the last while, so a redelivered or repeated worker event (they are published at
/// least once) is pushed once. Bounded: past <see cref="Capacity"/> keys the set starts over, at worst
/// letting one repeat through.
/// </summary>
public sealed class RecentEvents
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public bool IsNew(string key)
    {
        if (_seen.Count >= Capacity)
        {
            _seen.Clear();
        }

        return _seen.TryAdd(key, 0);
    }
}
