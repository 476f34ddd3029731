using System.Collections.Concurrent;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>One private-stream client: its socket, its topics, and sends one at a time as a WebSocket requires.</summary>
public sealed partial class FakeBybit
{
    private sealed class StreamConnection(string id, System.Net.WebSockets.WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public string Id { get; } = id;

        public System.Net.WebSockets.WebSocket Socket { get; } = socket;

        public ConcurrentDictionary<string, bool> Topics { get; } = new(StringComparer.Ordinal);

        public async Task SendAsync(byte[] message)
        {
            await _send.WaitAsync();
            try
            {
                if (Socket.State == System.Net.WebSockets.WebSocketState.Open)
                {
                    await Socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // Cut meanwhile.
            }
            finally
            {
                _send.Release();
            }
        }
    }
}
