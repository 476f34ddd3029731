namespace AlgoSignal.Contracts;

/// <summary>TradingView could not deliver a <see cref="FetchBars"/>.</summary>
/// <param name="Kind"><c>symbol_error</c>, <c>series_error</c>, <c>critical_error</c>, <c>protocol_error</c>, <c>login_failed</c>, <c>timeout</c>, <c>disconnected</c>.</param>
/// <param name="Message">What happened, for the user.</param>
public sealed record FetchFailed(string Kind, string Message);
