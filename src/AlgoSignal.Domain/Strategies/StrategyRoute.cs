namespace AlgoSignal.Domain.Strategies;

/// <summary>One broker account a strategy's orders go to; several routes fan one signal out.</summary>
public sealed record StrategyRoute(string Broker, string Account);
