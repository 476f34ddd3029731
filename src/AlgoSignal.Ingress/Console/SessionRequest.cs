namespace AlgoSignal.Ingress.Console;

/// <summary>The body of <c>POST /api/v1/session</c> (documentation only: the handler reads the JSON itself).</summary>
public sealed record SessionRequest(string ApiKey);
