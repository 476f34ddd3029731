using System.Text;
using System.Text.Json;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>Reads a Server-Sent Events answer frame by frame, as <c>EventSource</c> does.</summary>
public sealed class EventStreamReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>Comment lines seen so far (heartbeats, the greeting).</summary>
    public List<string> Comments { get; } = [];

    /// <summary>The next event with a name and data; null when the stream ended.</summary>
    public async Task<(string Event, JsonElement Data)?> NextAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && data.Length > 0)
                {
                    return (name, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                }

                name = null;
                data.Clear();
            }
            else if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }

        return null;
    }

    /// <summary>Every event read so far, in order of arrival.</summary>
    public List<(string Event, JsonElement Data)> Seen { get; } = [];

    /// <summary>
    /// The first event, seen before or read now, that matches; fails when the time is up. Events arrive in
    /// any order (an alert's final state may come before its order's), so none is thrown away.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string eventName, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        foreach (var (name, data) in Seen)
        {
            if (name == eventName && match(data))
            {
                return data;
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await NextAsync(cts.Token) is { } next)
            {
                Seen.Add(next);
                if (next.Event == eventName && match(next.Data))
                {
                    return next.Data;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"No matching {eventName} event within {timeout}; seen: {string.Join(" | ", Seen.Select(e => $"{e.Event} {e.Data}"))}");
    }

    /// <summary>Reads until <paramref name="count"/> comment lines starting with <paramref name="prefix"/> arrived; any event line fails.</summary>
    public async Task WaitForCommentsAsync(string prefix, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = 0;
        while (seen < count)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The stream ended.");
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Unexpected event: {line}");
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line);
                seen += line.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
