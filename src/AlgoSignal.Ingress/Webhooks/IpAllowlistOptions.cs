namespace AlgoSignal.Ingress.Webhooks;

/// <summary><c>Webhook:IpAllowlist:*</c>. The entry <c>tradingview</c> stands for TradingView's published addresses.</summary>
public sealed class IpAllowlistOptions
{
    public bool Enabled { get; set; }

    public List<string> Cidrs { get; set; } = ["tradingview"];
}
