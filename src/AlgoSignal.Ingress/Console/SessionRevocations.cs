using System.Collections.Concurrent;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Sessions signed out before their expiry, kept until it passes so a copy of the cookie stops working
/// at once on this process. Bounded: beyond <see cref="MaxEntries"/> the oldest-expiring are forgotten
/// first (they are the closest to expiring anyway).
/// </summary>
public sealed class SessionRevocations(TimeProvider time)
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public void Revoke(string sessionId, DateTimeOffset expiresAt)
    {
        var now = time.GetUtcNow();
        if (expiresAt <= now)
        {
            return;
        }

        _revoked[sessionId] = expiresAt;
        if (_revoked.Count > MaxEntries)
        {
            foreach (var (id, _) in _revoked.Where(e => e.Value <= now).ToList())
            {
                _revoked.TryRemove(id, out _);
            }

            foreach (var (id, _) in _revoked.OrderBy(e => e.Value).Take(Math.Max(0, _revoked.Count - MaxEntries)).ToList())
            {
                _revoked.TryRemove(id, out _);
            }
        }
    }

    public bool IsRevoked(string sessionId) =>
        _revoked.TryGetValue(sessionId, out var expiresAt) && expiresAt > time.GetUtcNow();
}
