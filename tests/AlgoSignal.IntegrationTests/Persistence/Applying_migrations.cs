using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Persistence;

public sealed class Applying_migrations : IAsyncLifetime
{
    private readonly string _database = "algosignal_migrate_" + Guid.NewGuid().ToString("N")[..10];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        await TestServices.RequireAsync();
        _connectionString = await TestServices.CreateDatabaseAsync(_database);
    }

    public Task DisposeAsync() => TestServices.DropDatabaseAsync(_database);

    [Fact]
    public async Task Should_apply_each_migration_once_and_record_it()
    {
        var runner = new MigrationRunner(_connectionString, NullLogger<MigrationRunner>.Instance);
        var first = await runner.MigrateAsync(CancellationToken.None);
        var second = await runner.MigrateAsync(CancellationToken.None);

        first.Count.ShouldBe(MigrationRunner.Discover().Count);
        first.Count.ShouldBeGreaterThan(0);
        second.ShouldBeEmpty();
        (await ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).ShouldBe(first.Count);
        (await ScalarAsync<bool>("SELECT to_regclass('public.alerts') IS NOT NULL")).ShouldBeTrue();
    }

    [Fact]
    public async Task Should_apply_once_when_two_processes_migrate_at_the_same_time()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new MigrationRunner(_connectionString, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None)));
        runs.Sum(r => r.Count).ShouldBe(MigrationRunner.Discover().Count);
    }

    [Fact]
    public async Task Should_refuse_to_run_when_an_applied_migration_was_edited()
    {
        var runner = new MigrationRunner(_connectionString, NullLogger<MigrationRunner>.Instance);
        await runner.MigrateAsync(CancellationToken.None);
        await ScalarAsync<int>("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1 RETURNING version");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => runner.MigrateAsync(CancellationToken.None));
        error.Message.ShouldContain("was changed after it was applied");
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
