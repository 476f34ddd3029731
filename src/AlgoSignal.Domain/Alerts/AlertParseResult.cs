namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// The outcome of parsing an alert body: the payload when it is valid, every error otherwise,
/// and in both cases the body as it may be stored (secret fields redacted) when it was JSON.
/// </summary>
public sealed record AlertParseResult(AlertPayload? Payload, IReadOnlyList<AlertError> Errors, string? RedactedJson)
{
    public bool IsValid => Payload is not null && Errors.Count == 0;
}
