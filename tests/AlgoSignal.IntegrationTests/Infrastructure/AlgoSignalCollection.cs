namespace AlgoSignal.IntegrationTests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AlgoSignalCollection : ICollectionFixture<AlgoSignalFixture>
{
    public const string Name = "AlgoSignal";
}
