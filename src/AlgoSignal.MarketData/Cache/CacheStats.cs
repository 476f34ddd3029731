namespace AlgoSignal.MarketData.Cache;

/// <summary>Hits per layer and misses, counted by the process that answers the API.</summary>
public sealed class CacheStats
{
    private long _memoryHits;
    private long _databaseHits;
    private long _misses;

    public long MemoryHits => Interlocked.Read(ref _memoryHits);

    public long DatabaseHits => Interlocked.Read(ref _databaseHits);

    public long Misses => Interlocked.Read(ref _misses);

    public double HitRate
    {
        get
        {
            var hits = MemoryHits + DatabaseHits;
            var total = hits + Misses;
            return total == 0 ? 0 : Math.Round((double)hits / total, 4);
        }
    }

    public void MemoryHit() => Interlocked.Increment(ref _memoryHits);

    public void DatabaseHit() => Interlocked.Increment(ref _databaseHits);

    public void Miss() => Interlocked.Increment(ref _misses);

    public void Reset()
    {
        Interlocked.Exchange(ref _memoryHits, 0);
        Interlocked.Exchange(ref _databaseHits, 0);
        Interlocked.Exchange(ref _misses, 0);
    }
}
