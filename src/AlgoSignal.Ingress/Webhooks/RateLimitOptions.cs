using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary><c>Webhook:RateLimit:*</c>; 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per minute from one client address (before authentication, so floods stop early).</summary>
    [Range(0, 10_000_000, ErrorMessage = "Webhook:RateLimit:PerSourcePerMinute must be 0 (off) or more.")]
    public int PerSourcePerMinute { get; set; } = 1_200;

    /// <summary>Accepted alerts per minute for one strategy.</summary>
    [Range(0, 10_000_000, ErrorMessage = "Webhook:RateLimit:PerStrategyPerMinute must be 0 (off) or more.")]
    public int PerStrategyPerMinute { get; set; } = 600;
}
