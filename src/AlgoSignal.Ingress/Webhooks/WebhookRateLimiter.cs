using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Token buckets per client address and per strategy: a burst up to the per-minute figure, refilled
/// evenly each second. A refusal says how long to wait (<c>Retry-After</c>).
/// </summary>
public sealed class WebhookRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perSource;
    private readonly PartitionedRateLimiter<string>? _perStrategy;

    public WebhookRateLimiter(IOptions<WebhookOptions> options)
    {
        _perSource = Create(options.Value.RateLimit.PerSourcePerMinute);
        _perStrategy = Create(options.Value.RateLimit.PerStrategyPerMinute);
    }

    /// <returns>Null when allowed, else the seconds to wait.</returns>
    public int? CheckSource(string source) => Check(_perSource, source);

    public int? CheckStrategy(string strategy) => Check(_perStrategy, strategy);

    public void Dispose()
    {
        _perSource?.Dispose();
        _perStrategy?.Dispose();
    }

    private static int? Check(PartitionedRateLimiter<string>? limiter, string key)
    {
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }

    private static PartitionedRateLimiter<string>? Create(int perMinute)
    {
        if (perMinute <= 0)
        {
            return null;
        }

        var perSecond = Math.Max(1, perMinute / 60);
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perMinute >= 60 ? 1 : 60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }
}
