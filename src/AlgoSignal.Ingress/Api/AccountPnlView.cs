namespace AlgoSignal.Ingress.Api;

/// <summary>An account's money: equity = cash + positions at their last price.</summary>
public sealed record AccountPnlView(
    string Account, string Broker, decimal InitialCash, decimal Cash, decimal Equity, decimal RealizedPnl, decimal UnrealizedPnl, decimal Fees, decimal TotalPnl, IReadOnlyList<PositionView> Positions);
