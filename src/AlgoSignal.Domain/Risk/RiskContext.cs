using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Domain.Risk;

/// <summary>Everything a risk rule may look at, gathered by the caller before evaluation.</summary>
public sealed record RiskContext(
    AlertPayload Alert,
    StrategyDefinition Strategy,
    SignalLeg Leg,
    decimal Position,
    DateTimeOffset ReceivedAt,
    DateTimeOffset Now,
    bool LiveTradingEnabled,
    bool KillSwitchEnabled);
