using System.Runtime;

namespace AlgoSignal.MarketData.Cache;

/// <summary>
/// L1: the most recently used series in memory, bounded by <c>MarketData:Cache:MemoryEntries</c> series and
/// by <c>MarketData:Cache:MemoryMegabytes</c> of their estimated size — the count alone let a few thousand
/// long series take gigabytes. A series larger than the whole budget is not kept.
/// </summary>
public sealed class BarMemoryCache(int capacity, long maxBytes)
{
    /// <summary>
    /// What one cached bar costs: the <c>Bar</c> object (88 bytes) and its list slot, plus the answer's JSON
    /// for it (about 120 bytes and an offset) that the OHLC endpoint keeps beside a cached series.
    /// </summary>
    public const int BytesPerBar = 240;

    /// <summary>The series record, its key and quality report.</summary>
    public const int BytesPerSeries = 2_048;

    private readonly Dictionary<SeriesKey, LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public int Capacity => capacity;

    /// <summary>The estimated size of what is held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public long MaxBytes => maxBytes;

    public static long EstimateBytes(CachedSeries series) => BytesPerSeries + ((long)series.Bars.Count * BytesPerBar);

    public CachedSeries? Get(SeriesKey key)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Series;
        }
    }

    public void Put(CachedSeries series)
    {
        var size = EstimateBytes(series);
        lock (_lock)
        {
            if (_index.Remove(series.Key, out var existing))
            {
                _order.Remove(existing);
                _bytes -= existing.Value.Bytes;
            }

            if (size > maxBytes)
            {
                return;
            }

            _index[series.Key] = _order.AddFirst(new Entry(series, size));
            _bytes += size;
            while ((_index.Count > capacity || _bytes > maxBytes) && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _index.Remove(oldest.Value.Series.Key);
                _bytes -= oldest.Value.Bytes;
            }
        }
    }

    /// <summary>
    /// Drops every series and gives the memory back: the series' bars and JSON are large objects, which a
    /// normal collection neither compacts nor returns to the system, so a clear would otherwise leave the
    /// process as large as before. Aggressive and blocking, which is fine for an operator's rare clear.
    /// </summary>
    public void Clear()
    {
        lock (_lock)
        {
            _index.Clear();
            _order.Clear();
            _bytes = 0;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private sealed record Entry(CachedSeries Series, long Bytes);
}
