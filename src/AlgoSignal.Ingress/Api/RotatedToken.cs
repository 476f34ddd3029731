namespace AlgoSignal.Ingress.Api;

/// <summary>The answer of rotate-token: the new token, shown this once, and the URL to paste into TradingView.</summary>
public sealed record RotatedToken(string Name, string WebhookToken, string WebhookUrl);
