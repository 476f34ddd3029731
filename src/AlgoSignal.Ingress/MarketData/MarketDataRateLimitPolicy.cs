using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using AlgoSignal.Ingress.Api;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// One fixed one-minute window per API key over the market-data routes: every miss costs a TradingView
/// fetch, a PostgreSQL write and a CSV, so one key must not be able to take the machine. Requests without
/// a valid key share a window per client address (they are refused with 401 anyway). Over the limit:
/// 429 with <c>Retry-After</c> in the API's problem shape (README, "Market data limits").
/// </summary>
public sealed class MarketDataRateLimitPolicy(IOptions<MarketDataRateLimitOptions> options, IOptions<ApiOptions> api) : IRateLimiterPolicy<string>
{
    public const string Name = "market-data";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var permits = options.Value.PermitsPerMinute;
        if (permits == 0)
        {
            return RateLimitPartition.GetNoLimiter("off");
        }

        var presented = RealtimeEndpoint.PresentedKey(httpContext);
        var partition = ApiKeyFilter.IsKnown(api.Value, presented)
            // The key's hash, not the key: partitions may show up in diagnostics.
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)))[..32]
            : "address:" + httpContext.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            title: "Too many market-data requests",
            detail: $"This API key may make {options.Value.PermitsPerMinute} market-data requests a minute (MarketData:RateLimit:PermitsPerMinute). Retry after {retryAfter} s.",
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }
}
