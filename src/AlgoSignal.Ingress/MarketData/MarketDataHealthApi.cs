using AlgoSignal.Ingress.Api;
using AlgoSignal.MarketData.Cache;
using AlgoSignal.MarketData.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlgoSignal.Ingress.MarketData;

/// <summary><c>GET /api/v1/health</c> (README, "Market data limits"): overall status plus components.</summary>
public static class MarketDataHealthApi
{
    public static IEndpointRouteBuilder MapMarketDataHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/health", GetAsync).WithName("GetHealth").WithTags("Health").AddEndpointFilter<ApiKeyFilter>();
        return app;
    }

    public static async Task<JsonHttpResult<object>> GetAsync(HealthCheckService health, BarMemoryCache memory, CacheStats stats, RealtimeHub realtime, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), cancellationToken);
        var components = report.Entries.ToDictionary(e => e.Key, e => (object)new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description });
        components["cache"] = new { status = "healthy", memory_entries = memory.Count, memory_capacity = memory.Capacity, memory_bytes = memory.Bytes, memory_max_bytes = memory.MaxBytes, hit_rate = stats.HitRate };
        components["realtime"] = new { status = "healthy", upstream_streams = realtime.ActiveStreams, max_upstream_streams = realtime.MaxStreams };
        var healthy = report.Status == HealthStatus.Healthy;
        return TypedResults.Json<object>(
            new { status = healthy ? "healthy" : "unhealthy", timestamp = time.GetUtcNow(), components },
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
