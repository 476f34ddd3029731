using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Domain.Alerts;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The key that marks a repeat of an alert: the sender's <c>alert_id</c> when given, else a hash
/// of the (already redacted) payload. Scoped by strategy, so two strategies never collide.
/// </summary>
public static class DedupeKeys
{
    public static string For(string strategy, AlertPayload alert, string redactedPayload) =>
        alert.AlertId is { Length: > 0 } senderId
            ? $"{strategy}|id|{senderId}"
            : $"{strategy}|fp|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(redactedPayload)))}";
}
