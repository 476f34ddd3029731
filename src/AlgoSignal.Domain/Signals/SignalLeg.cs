using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Signals;

/// <summary>
/// One order an alert asks for. A reversal is two legs: the exit first, then the entry.
/// A null <see cref="Quantity"/> means: for an exit, the whole position; for an entry, the sizing rule.
/// </summary>
public sealed record SignalLeg(int Index, SignalIntent Intent, OrderSide Side, decimal? Quantity);
