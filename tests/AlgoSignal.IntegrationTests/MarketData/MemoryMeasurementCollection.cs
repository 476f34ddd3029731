namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>Tests that measure the process's managed heap run alone, after the parallel ones, so others' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement";
}
