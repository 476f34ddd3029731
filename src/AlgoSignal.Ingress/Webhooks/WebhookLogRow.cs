using System.Text.Json;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Turns a log entry into a row PostgreSQL will take: no NUL or unpaired surrogate in any text
/// (SQLSTATE 22P05 would fail the whole batch), a bounded reason, and a payload that is JSON.
/// </summary>
public static class WebhookLogRow
{
    public const int MaxReasonLength = 2000;

    public static WebhookLogEntity From(WebhookLogEntry entry) => new()
    {
        ReceivedAt = entry.ReceivedAt.ToUniversalTime(),
        Route = StorableText.Sanitize(entry.Route),
        SourceIp = StorableText.SanitizeOrNull(entry.SourceIp),
        Status = entry.Status,
        Reason = Reason(entry.Reason),
        AlertId = entry.AlertId,
        Strategy = StorableText.SanitizeOrNull(entry.Strategy),
        Payload = Payload(entry.Payload),
        Count = entry.Count,
    };

    public static WebhookLogEntity WithoutPayload(WebhookLogEntity row)
    {
        var copy = Copy(row);
        copy.Payload = null;
        copy.Reason = Reason((row.Reason ?? "") + " [payload not stored: refused by the database]");
        return copy;
    }

    /// <summary>A fresh entity (a failed SaveChanges leaves its own entities tracked and keyed).</summary>
    public static WebhookLogEntity Copy(WebhookLogEntity row) => new()
    {
        ReceivedAt = row.ReceivedAt,
        Route = row.Route,
        SourceIp = row.SourceIp,
        Status = row.Status,
        Reason = row.Reason,
        AlertId = row.AlertId,
        Strategy = row.Strategy,
        Payload = row.Payload,
        Count = row.Count,
    };

    private static string? Reason(string? reason)
    {
        if (reason is null)
        {
            return null;
        }

        var safe = StorableText.Sanitize(reason);
        if (safe.Length <= MaxReasonLength)
        {
            return safe;
        }

        // Never cut a surrogate pair in two.
        var cut = char.IsHighSurrogate(safe[MaxReasonLength - 1]) ? MaxReasonLength - 1 : MaxReasonLength;
        return safe[..cut];
    }

    /// <summary>
    /// Payloads are written by the redactor and already safe; anything else is re-written through it
    /// (or kept as a JSON string) so that a payload can never be the reason a row is refused.
    /// </summary>
    private static string? Payload(string? payload)
    {
        if (payload is null || (!payload.Contains("\\u", StringComparison.Ordinal) && StorableText.Problem(payload) is null && LooksLikeJson(payload)))
        {
            return payload;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return SecretRedactor.Redact(document.RootElement);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(StorableText.Sanitize(payload));
        }
    }

    private static bool LooksLikeJson(string payload)
    {
        var trimmed = payload.AsSpan().Trim();
        return trimmed.Length > 1 && ((trimmed[0] == '{' && trimmed[^1] == '}') || (trimmed[0] == '[' && trimmed[^1] == ']'));
    }
}
