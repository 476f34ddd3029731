namespace AlgoSignal.Brokers;

public enum PlaceOutcome
{
    /// <summary>The broker took the order (or already had it under this client order id).</summary>
    Accepted,

    /// <summary>The broker refused it; <see cref="PlaceResult.Code"/> and <see cref="PlaceResult.Message"/> say why.</summary>
    Rejected,

    /// <summary>No answer after the request may have landed: ask by client order id before retrying.</summary>
    Unknown,
}
