namespace AlgoSignal.Domain.Orders;

/// <summary>Whether an order opens or adds to a position, or reduces or closes it; stored as <see cref="OrderIntents"/>.</summary>
public enum OrderIntent
{
    Entry,
    Exit,
}
