namespace AlgoSignal.Domain.Alerts;

/// <summary>One problem with an alert: the field it concerns (or <c>body</c>) and what to fix.</summary>
public sealed record AlertError(string Field, string Message);
