namespace AlgoSignal.Ingress.Console;

/// <summary>The body of <c>POST /api/v1/positions/close</c> (documentation only).</summary>
public sealed record ClosePositionRequest(string Strategy, string Symbol);
