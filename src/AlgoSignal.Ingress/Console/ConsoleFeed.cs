using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AlgoSignal.Domain;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Fans the console's live events out to the open streams of this process. Each stream has a bounded
/// buffer (<c>Console:StreamBuffer</c>): a client that does not keep up is dropped — it reconnects and
/// reloads — so one slow browser never grows memory nor holds up the others. At most
/// <c>Console:MaxStreams</c> streams are open at once.
/// </summary>
public sealed class ConsoleFeed(IOptions<ConsoleOptions> options)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Subscriber> _subscribers = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <returns>The new stream's subscriber, or null when <c>Console:MaxStreams</c> are open already.</returns>
    public Subscriber? TryOpen()
    {
        var subscriber = new Subscriber(this, options.Value.StreamBuffer);
        lock (_lock)
        {
            if (_subscribers.Count >= options.Value.MaxStreams)
            {
                return null;
            }

            _subscribers.Add(subscriber);
        }

        return subscriber;
    }

    /// <summary>Queues one event for every stream; a stream whose buffer is full is dropped.</summary>
    public void Publish(string eventName, object data)
    {
        var frame = Frame(eventName, data);
        Subscriber[] current;
        lock (_lock)
        {
            current = [.. _subscribers];
        }

        foreach (var subscriber in current)
        {
            if (!subscriber.Writer.TryWrite(frame))
            {
                subscriber.Drop();
            }
        }
    }

    /// <summary>One Server-Sent Events frame: the JSON is one line (no raw newline can end the frame early).</summary>
    public static string Frame(string eventName, object data) =>
        new StringBuilder().Append("event: ").Append(eventName).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(data, data.GetType(), JsonDefaults.SnakeCase)).Append("\n\n").ToString();

    private void Remove(Subscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>One open stream: its frames, and whether it was dropped for falling behind.</summary>
    public sealed class Subscriber : IDisposable
    {
        private readonly ConsoleFeed _feed;
        private readonly Channel<string> _channel;

        internal Subscriber(ConsoleFeed feed, int capacity)
        {
            _feed = feed;
            _channel = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
            });
        }

        public ChannelReader<string> Reader => _channel.Reader;

        public bool Dropped { get; private set; }

        internal ChannelWriter<string> Writer => _channel.Writer;

        internal void Drop()
        {
            Dropped = true;
            _channel.Writer.TryComplete();
            _feed.Remove(this);
        }

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            _feed.Remove(this);
        }
    }
}
