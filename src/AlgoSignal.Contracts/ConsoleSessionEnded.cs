namespace AlgoSignal.Contracts;

/// <summary>A console session was signed out before its expiry: every ingress refuses its cookie from now on.</summary>
/// <param name="SessionId">The session's random id (not the cookie; it cannot be used to sign in).</param>
/// <param name="ExpiresAt">When the session would have expired; after it the cookie is refused anyway.</param>
public sealed record ConsoleSessionEnded(string SessionId, DateTimeOffset ExpiresAt);
