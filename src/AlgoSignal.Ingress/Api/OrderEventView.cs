namespace AlgoSignal.Ingress.Api;

public sealed record OrderEventView(string Type, decimal? Quantity, decimal? Price, string? Message, DateTimeOffset CreatedAt);
