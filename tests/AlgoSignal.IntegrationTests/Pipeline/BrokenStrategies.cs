using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>A strategy whose stored definition the worker cannot read, so every alert for it fails in processing.</summary>
internal static class BrokenStrategies
{
    /// <returns>The strategy's unique name.</returns>
    public static async Task<string> AddAsync(AlgoSignalFixture fixture)
    {
        var name = "broken-" + Guid.NewGuid().ToString("N")[..8];
        await using var db = fixture.CreateDbContext();
        db.Strategies.Add(new StrategyEntity
        {
            Name = name,
            Enabled = true,
            Mode = "paper",
            Definition = """{"name":"x","routes":"not a list"}""",
            CreatedAt = TimeProvider.System.GetUtcNow(),
            UpdatedAt = TimeProvider.System.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return name;
    }
}
