namespace AlgoSignal.Contracts;

/// <summary>A live broker and AlgoSignal's books disagree; reported, never corrected automatically.</summary>
/// <param name="Broker">The broker name.</param>
/// <param name="Kind"><c>position</c>: the broker's position differs from AlgoSignal's.</param>
/// <param name="Symbol">The broker's symbol.</param>
/// <param name="BrokerQuantity">The signed quantity the broker reports.</param>
/// <param name="OurQuantity">The signed quantity AlgoSignal's books hold.</param>
/// <param name="Detail">What differs, in words.</param>
/// <param name="DetectedAt">When the drift was first confirmed.</param>
public sealed record ReconciliationDriftDetected(string Broker, string Kind, string Symbol, decimal? BrokerQuantity, decimal? OurQuantity, string Detail, DateTimeOffset DetectedAt);
