namespace AlgoSignal.Brokers;

/// <summary>What a broker said to an order.</summary>
public sealed record PlaceResult(PlaceOutcome Outcome, string? BrokerOrderId, string? Code, string? Message)
{
    public static PlaceResult Accepted(string? brokerOrderId, string? message = null) => new(PlaceOutcome.Accepted, brokerOrderId, null, message);

    public static PlaceResult Rejected(string? code, string message) => new(PlaceOutcome.Rejected, null, code, message);

    public static PlaceResult Unknown(string message) => new(PlaceOutcome.Unknown, null, null, message);
}
