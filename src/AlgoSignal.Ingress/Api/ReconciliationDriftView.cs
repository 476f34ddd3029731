namespace AlgoSignal.Ingress.Api;

/// <summary>One difference between a live broker and AlgoSignal's books; open while <see cref="ResolvedAt"/> is null.</summary>
public sealed record ReconciliationDriftView(
    long Id, string Broker, string Kind, string Symbol, decimal? BrokerQuantity, decimal? OurQuantity, string Detail,
    DateTimeOffset DetectedAt, DateTimeOffset LastSeenAt, DateTimeOffset? ResolvedAt);
