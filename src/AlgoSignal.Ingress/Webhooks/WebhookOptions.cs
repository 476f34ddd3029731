using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary><c>Webhook:*</c> (docs/architecture.md, "Configuration keys").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>Secrets for <c>POST /webhook</c>; several allow rotation.</summary>
    public List<string> HmacSecrets { get; set; } = [];

    [Range(1, 86_400, ErrorMessage = "Webhook:SignatureToleranceSeconds must be between 1 and 86400.")]
    public int SignatureToleranceSeconds { get; set; } = 300;

    [Range(256, 10 * 1024 * 1024, ErrorMessage = "Webhook:MaxBodyBytes must be between 256 and 10485760.")]
    public int MaxBodyBytes { get; set; } = 65_536;

    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long to wait for RabbitMQ's publisher confirm before answering 503 (TradingView allows 3 s in all).</summary>
    [Range(50, 30_000, ErrorMessage = "Webhook:ConfirmTimeoutMs must be between 50 and 30000.")]
    public int ConfirmTimeoutMs { get; set; } = 2_000;

    public IpAllowlistOptions IpAllowlist { get; set; } = new();

    /// <summary>Addresses or CIDRs of reverse proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Days the webhook log keeps rows; older ones are deleted.</summary>
    [Range(1, 3650, ErrorMessage = "Webhook:LogRetentionDays must be between 1 and 3650.")]
    public int LogRetentionDays { get; set; } = 14;

    /// <summary>On HTTPS, require TradingView's client certificate on the TradingView route.</summary>
    public bool RequireTradingViewClientCertificate { get; set; }
}
