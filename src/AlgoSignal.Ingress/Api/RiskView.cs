namespace AlgoSignal.Ingress.Api;

public sealed record RiskView(string Decision, string? Rule, string? Reason);
