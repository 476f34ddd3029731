using System.Threading.Channels;

namespace AlgoSignal.MarketData.Realtime;

/// <summary>
/// One client's mailbox: bounded, and when full the oldest update goes — a slow client misses
/// intermediate ticks of its own, and never holds up the upstream or the other clients.
/// </summary>
public sealed class RealtimeSubscriber
{
    public const int Capacity = 256;

    private readonly Channel<RealtimeUpdate> _updates = Channel.CreateBounded<RealtimeUpdate>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<RealtimeUpdate> Updates => _updates.Reader;

    public void Push(RealtimeUpdate update) => _updates.Writer.TryWrite(update);

    public void Complete() => _updates.Writer.TryComplete();
}
