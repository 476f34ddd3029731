namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// Realtime clients that go away without the WebSocket close handshake (a closed laptop, a killed
/// script, a scanner) are ordinary client behaviour, not a server fault: the first is one warning line
/// without a stack trace, the rest within the next minute are counted and written as one line when it ends.
/// </summary>
public sealed partial class VanishedClientLog(TimeProvider time, ILogger<VanishedClientLog> logger) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private ITimer? _flush;
    private int _suppressed;

    public void Report(string reason)
    {
        lock (_lock)
        {
            if (_flush is not null)
            {
                _suppressed++;
                return;
            }

            _flush = time.CreateTimer(_ => Flush(), null, Window, Timeout.InfiniteTimeSpan);
        }

        LogVanished(logger, reason, (int)Window.TotalSeconds);
    }

    public void Dispose()
    {
        Flush();
    }

    private void Flush()
    {
        int count;
        lock (_lock)
        {
            _flush?.Dispose();
            _flush = null;
            count = _suppressed;
            _suppressed = 0;
        }

        if (count > 0)
        {
            LogMore(logger, count, (int)Window.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A realtime client went away without closing its WebSocket ({Reason}); more within {WindowSeconds} s are counted in one line")]
    private static partial void LogVanished(ILogger logger, string reason, int windowSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more realtime client(s) went away without closing their WebSocket within {WindowSeconds} s")]
    private static partial void LogMore(ILogger logger, int count, int windowSeconds);
}
