namespace AlgoSignal.Ingress.Console;

/// <summary>The answer of <c>/api/v1/session</c>: signed in until when, and the token changes must carry.</summary>
public sealed record SessionAnswer(bool SignedIn, DateTimeOffset ExpiresAt, string? AntiforgeryToken);
