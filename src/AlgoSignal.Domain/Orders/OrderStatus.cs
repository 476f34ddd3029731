namespace AlgoSignal.Domain.Orders;

/// <summary>
/// An order's state as the Domain's rules reason about it; stored and served as the snake_case text of
/// <see cref="OrderStatuses"/>, which maps between the two.
/// </summary>
public enum OrderStatus
{
    Submitting,
    Accepted,
    PartiallyFilled,
    Filled,
    Unknown,
    Rejected,
    Failed,
    Cancelling,
    Cancelled,
}
