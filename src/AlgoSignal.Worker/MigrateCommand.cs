using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker;

/// <summary>
/// <c>AlgoSignal.Worker migrate</c>: the one explicit step that applies schema migrations and seeds
/// the <c>demo</c> strategy. Safe to run again; processes never migrate on their own at start.
/// </summary>
public static partial class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "AlgoSignal.Migrate", ContentRootPath = AppContext.BaseDirectory });
        builder.AddAlgoSignalLogging();
        var connectionString = PostgresOptions.GetConnectionString(builder.Configuration);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlgoSignal.Migrate");

        var runner = new MigrationRunner(connectionString, host.Services.GetRequiredService<ILogger<MigrationRunner>>());
        var applied = await runner.MigrateAsync(cancellationToken);
        LogDone(logger, applied.Count, MigrationRunner.Discover().Count);

        var options = new DbContextOptionsBuilder<AlgoSignalDbContext>().UseNpgsql(connectionString).Options;
        await using var db = new AlgoSignalDbContext(options);
        var token = builder.Configuration["Seed:DemoWebhookToken"];
        if (await StrategySeeder.EnsureDemoAsync(db, TimeProvider.System, string.IsNullOrWhiteSpace(token) ? null : token, cancellationToken))
        {
            LogSeeded(logger, StrategySeeder.DemoName);
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current: applied {Applied} of {Total} migrations in this run")]
    private static partial void LogDone(ILogger logger, int applied, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the paper strategy {Strategy}")]
    private static partial void LogSeeded(ILogger logger, string strategy);
}
