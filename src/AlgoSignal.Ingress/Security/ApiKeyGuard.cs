using System.Collections.Concurrent;
using System.Globalization;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Ingress.Webhooks;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Security;

/// <summary>
/// Checks <c>X-Api-Key</c> and slows down guessing: wrong keys are counted per client address in a
/// window that starts with the first one; past <see cref="ApiKeyFailureOptions.PerSource"/> the address
/// is refused with 429 and <c>Retry-After</c> until the window ends — even with a right key, so guessing
/// cannot go on behind the refusals. Each window is logged once, with its counts, when it ends: a
/// flood costs one line per address and interval, and no line ever holds the key presented.
/// </summary>
public sealed partial class ApiKeyGuard(
    IOptions<ApiOptions> api, IOptions<ApiKeyFailureOptions> options, AddressRules addresses, TimeProvider time, ILogger<ApiKeyGuard> logger)
    : BackgroundService
{
    /// <summary>Addresses tracked at once; beyond it new ones are not limited (still refused with 401).</summary>
    public const int MaxSources = 100_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private int _tracked;

    public ApiKeyCheck Check(HttpContext http, string presented)
    {
        var settings = options.Value;
        var source = addresses.ClientAddress(http)?.ToString() ?? "unknown";
        var now = time.GetUtcNow();
        if (settings.PerSource > 0 && _windows.TryGetValue(source, out var window) && window.RefuseIfFull(now, settings.PerSource) is { } wait)
        {
            return new ApiKeyCheck(ApiKeyStatus.Limited, wait);
        }

        if (presented.Length == 0)
        {
            return new ApiKeyCheck(ApiKeyStatus.Missing);
        }

        if (ApiKeyFilter.IsKnown(api.Value, presented))
        {
            return new ApiKeyCheck(ApiKeyStatus.Valid);
        }

        RecordFailure(source, now, settings);
        return new ApiKeyCheck(ApiKeyStatus.Invalid);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush(all: false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Flush(all: true);
    }

    private void RecordFailure(string source, DateTimeOffset now, ApiKeyFailureOptions settings)
    {
        while (true)
        {
            if (!_windows.TryGetValue(source, out var window))
            {
                // A counter, not the dictionary's Count, which would take every lock on each wrong key.
                if (Volatile.Read(ref _tracked) >= MaxSources)
                {
                    return;
                }

                var created = new Window(now, TimeSpan.FromSeconds(settings.WindowSeconds));
                if (_windows.TryAdd(source, created))
                {
                    Interlocked.Increment(ref _tracked);
                }

                continue;
            }

            if (window.TryCountFailure(now))
            {
                return;
            }

            // The window has ended: log it and start the next one.
            Close(source, window);
        }
    }

    private void Flush(bool all)
    {
        var now = time.GetUtcNow();
        foreach (var (source, window) in _windows)
        {
            if (all || window.HasEnded(now))
            {
                Close(source, window);
            }
        }
    }

    private void Close(string source, Window window)
    {
        var first = window.TryClose(out var failures, out var refused);
        if (_windows.TryRemove(new KeyValuePair<string, Window>(source, window)))
        {
            Interlocked.Decrement(ref _tracked);
        }

        if (first)
        {
            LogFailures(logger, failures, source, window.Start.ToString("O", CultureInfo.InvariantCulture), options.Value.WindowSeconds, refused);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Failures} wrong API key(s) from {SourceIp} in the {WindowSeconds} s from {WindowStart}; {Refused} request(s) refused with 429 after the limit")]
    private static partial void LogFailures(ILogger logger, int failures, string sourceIp, string windowStart, int windowSeconds, int refused);

    private sealed class Window(DateTimeOffset start, TimeSpan length)
    {
        private readonly Lock _lock = new();
        private int _failures;
        private int _refused;
        private bool _closed;

        public DateTimeOffset Start { get; } = start;

        public bool HasEnded(DateTimeOffset now) => now >= Start + length;

        public bool TryCountFailure(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (_closed || HasEnded(now))
                {
                    return false;
                }

                _failures++;
                return true;
            }
        }

        /// <returns>Seconds to wait when the address has used up its wrong keys, else null.</returns>
        public int? RefuseIfFull(DateTimeOffset now, int limit)
        {
            lock (_lock)
            {
                if (_closed || HasEnded(now) || _failures < limit)
                {
                    return null;
                }

                _refused++;
                return Math.Max(1, (int)Math.Ceiling((Start + length - now).TotalSeconds));
            }
        }

        /// <returns>False when another thread closed it first.</returns>
        public bool TryClose(out int failures, out int refused)
        {
            lock (_lock)
            {
                failures = _failures;
                refused = _refused;
                var first = !_closed;
                _closed = true;
                return first && failures > 0;
            }
        }
    }
}
