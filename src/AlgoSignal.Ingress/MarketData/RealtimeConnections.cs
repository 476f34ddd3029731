using AlgoSignal.MarketData.Realtime;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>Open <c>/ws/realtime</c> connections per API key, within <c>MarketData:Realtime:MaxConnectionsPerKey</c>.</summary>
public sealed class RealtimeConnections(IOptions<RealtimeOptions> options)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int MaxPerKey => options.Value.MaxConnectionsPerKey;

    public bool TryOpen(string apiKey)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(apiKey);
            if (open >= options.Value.MaxConnectionsPerKey)
            {
                return false;
            }

            _open[apiKey] = open + 1;
            return true;
        }
    }

    public void Close(string apiKey)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(apiKey, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(apiKey);
                }
                else
                {
                    _open[apiKey] = open - 1;
                }
            }
        }
    }
}
