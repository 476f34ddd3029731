using AlgoSignal.MarketData;
using AlgoSignal.MarketData.Cache;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.MarketData;

// The bar cache's statistics, and clearing it on every instance.
public static partial class MarketDataApi
{
    public static async Task<Ok<object>> GetStatsAsync(BarMemoryCache memory, CacheStats stats, BarStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<object>(new
        {
            memory_entries = memory.Count,
            memory_capacity = memory.Capacity,
            memory_bytes = memory.Bytes,
            memory_max_bytes = memory.MaxBytes,
            database_series = await store.CountSeriesAsync(cancellationToken),
            hits = new { memory = stats.MemoryHits, database = stats.DatabaseHits },
            misses = stats.Misses,
            hit_rate = stats.HitRate,
        });

    public static async Task<Ok<object>> ClearAsync(BarMemoryCache memory, CacheStats stats, BarStore store, CacheClearFanOut fanOut, CancellationToken cancellationToken)
    {
        await store.ClearAsync(cancellationToken);
        memory.Clear();
        stats.Reset();

        // Every other instance's memory too (each listens for the announcement).
        await fanOut.AnnounceAsync(cancellationToken);
        return TypedResults.Ok<object>(new { status = "cleared", layers = new[] { "memory", "database" } });
    }
}
