namespace AlgoSignal.Domain.Positions;

/// <summary>What one fill did: the position after it, and the P&amp;L the fill realised net of its fee (the order's share).</summary>
public sealed record FillResult(PositionState Position, decimal RealizedPnl);
