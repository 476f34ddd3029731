using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Records every webhook request without slowing any: entries go to a bounded in-memory queue that a
/// background writer stores in batches. Rejections are aggregated per (route, address, status, reason)
/// and minute — the first is stored with its reason, the rest of the same reason as one row with a
/// count, so that two different mistakes never hide each other — and a flood of bad
/// requests costs a few rows a minute, never the disk. If the queue is ever full, entries are counted
/// and the count is stored instead.
/// </summary>
public sealed class WebhookLog(TimeProvider time)
{
    public const int QueueCapacity = 20_000;
    public const int MaxAggregates = 10_000;
    public static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(1);

    private readonly Channel<WebhookLogEntry> _queue = Channel.CreateBounded<WebhookLogEntry>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Reasons are compared on this many characters: enough to tell any two of ours apart, and it bounds the keys' memory.</summary>
    public const int MaxReasonKeyLength = 512;

    private readonly ConcurrentDictionary<(string Route, string? Ip, int Status, string? Reason), Aggregate> _rejections = new();
    private long _dropped;
    private long _overflow;

    public ChannelReader<WebhookLogEntry> Reader => _queue.Reader;

    public void Record(WebhookLogEntry entry)
    {
        if (entry.Status < 400)
        {
            Enqueue(entry);
            return;
        }

        var key = (entry.Route, entry.SourceIp, entry.Status, Reason: entry.Reason is { Length: > MaxReasonKeyLength } text ? text[..MaxReasonKeyLength] : entry.Reason);
        if (_rejections.TryGetValue(key, out var existing))
        {
            Interlocked.Increment(ref existing.Repeats);
            return;
        }

        if (_rejections.Count >= MaxAggregates)
        {
            Interlocked.Increment(ref _overflow);
            return;
        }

        if (_rejections.TryAdd(key, new Aggregate(entry.ReceivedAt, key.Reason)))
        {
            Enqueue(entry);
        }
        else if (_rejections.TryGetValue(key, out var raced))
        {
            Interlocked.Increment(ref raced.Repeats);
        }
    }

    /// <summary>Closes the aggregation windows that ended and queues their summary rows.</summary>
    public void FlushAggregates(bool all = false)
    {
        var now = time.GetUtcNow();
        foreach (var (key, aggregate) in _rejections)
        {
            if (!all && now - aggregate.Since < AggregationWindow)
            {
                continue;
            }

            if (_rejections.TryRemove(key, out var removed) && removed.Repeats > 0)
            {
                Enqueue(new WebhookLogEntry(now, key.Route, key.Ip, key.Status,
                    $"{removed.Repeats} more request(s) like the one logged at {removed.Since:O}: {removed.Reason}", null, null, null, (int)removed.Repeats));
            }
        }

        var overflow = Interlocked.Exchange(ref _overflow, 0);
        if (overflow > 0)
        {
            Enqueue(new WebhookLogEntry(now, "*", null, 0, $"{overflow} rejected request(s) from too many distinct sources to itemise", null, null, null, (int)overflow));
        }

        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0 && !_queue.Writer.TryWrite(new WebhookLogEntry(now, "*", null, 0, $"{dropped} entries not logged: the log queue was full", null, null, null, (int)dropped)))
        {
            Interlocked.Add(ref _dropped, dropped);
        }
    }

    private void Enqueue(WebhookLogEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private sealed class Aggregate(DateTimeOffset since, string? reason)
    {
        public long Repeats;

        public DateTimeOffset Since { get; } = since;

        public string? Reason { get; } = reason;
    }
}
