using AlgoSignal.Brokers;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>The configured live-broker adapters by name (the paper broker, <see cref="Brokers.Paper.PaperBroker"/>, is a venue of its own).</summary>
public sealed class BrokerRegistry(IEnumerable<IBrokerAdapter> adapters)
{
    private readonly Dictionary<string, IBrokerAdapter> _byName = adapters.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public IBrokerAdapter? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyCollection<IBrokerAdapter> All => _byName.Values;
}
