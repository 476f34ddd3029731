namespace AlgoSignal.MarketData.Cache;

/// <summary>L1: the most recently used series in memory, bounded by <c>MarketData:Cache:MemoryEntries</c>.</summary>
public sealed class BarMemoryCache(int capacity)
{
    private readonly Dictionary<SeriesKey, LinkedListNode<CachedSeries>> _index = [];
    private readonly LinkedList<CachedSeries> _order = new();
    private readonly Lock _lock = new();

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
            return node.Value;
        }
    }

    public void Put(CachedSeries series)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(series.Key, out var existing))
            {
                _order.Remove(existing);
            }

            var node = _order.AddFirst(series);
            _index[series.Key] = node;
            while (_index.Count > capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _index.Clear();
            _order.Clear();
        }
    }
}
