namespace AlgoSignal.Contracts;

/// <summary>
/// An authenticated, well-formed alert, accepted by the ingress (or the <c>submit-alert</c> queue).
/// Published persistent and publisher-confirmed before the sender hears 202.
/// </summary>
/// <param name="AlertId">AlgoSignal's id for this delivery (the 202's <c>alert_id</c>).</param>
/// <param name="ReceivedAt">When the ingress received the request (UTC).</param>
/// <param name="Source">How it arrived: <c>webhook</c>, <c>tradingview</c>, <c>queue</c> or <c>console</c> (a test alert or a close from the console).</param>
/// <param name="Strategy">The strategy the route authenticated (token route), else the body's.</param>
/// <param name="SourceIp">The client address as the ingress resolved it.</param>
/// <param name="Payload">The alert body as JSON with secret-looking fields redacted.</param>
public sealed record AlertReceived(
    Guid AlertId,
    DateTimeOffset ReceivedAt,
    string Source,
    string? Strategy,
    string? SourceIp,
    string Payload);
