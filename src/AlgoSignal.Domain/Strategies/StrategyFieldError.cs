namespace AlgoSignal.Domain.Strategies;

/// <summary>One problem with a strategy body; <see cref="Field"/> is the wire name, e.g. <c>routes[0].broker</c>.</summary>
public sealed record StrategyFieldError(string Field, string Message);
