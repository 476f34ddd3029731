using AlgoSignal.Contracts;
using AlgoSignal.Domain;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// A message as PostgreSQL can store it. A message may reach the worker without passing the ingress (the
/// queue, a hand-written envelope), and one NUL or lone surrogate would fail the alert on every delivery;
/// <see cref="StoredText"/> holds the rules.
/// </summary>
public static class StoredMessage
{
    /// <summary>The message with every text it carries made storable; the payload stays JSON (an unreadable one is kept as a string).</summary>
    public static AlertReceived Clean(AlertReceived message) => message with
    {
        Source = StoredText.Clean(message.Source) ?? "unknown",
        Strategy = StoredText.Clean(message.Strategy),
        SourceIp = StoredText.Clean(message.SourceIp),
        Payload = StoredText.Json(message.Payload),
    };
}
