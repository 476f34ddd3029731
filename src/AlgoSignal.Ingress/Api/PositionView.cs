namespace AlgoSignal.Ingress.Api;

/// <summary>A position (docs/architecture.md, "Management API"): signed quantity, short &lt; 0.</summary>
public sealed record PositionView(string Account, string Broker, string Symbol, decimal Quantity, decimal AveragePrice, decimal RealizedPnl, decimal UnrealizedPnl, decimal? LastPrice);
