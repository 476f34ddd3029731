using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlgoSignal.ServiceDefaults;

/// <summary>
/// Builds the EF Core model and opens the first pooled connection at start, so the first alert of a
/// fresh process is not the one that pays for it (about a second on this hardware).
/// </summary>
public sealed partial class DatabaseWarmup(IServiceScopeFactory scopes, ILogger<DatabaseWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            await db.Strategies.AsNoTracking().Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not fatal: readiness reports PostgreSQL, and the first request retries the connection.
            LogWarmupFailed(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL was not reachable at start: {Error}")]
    private static partial void LogWarmupFailed(ILogger logger, string error);
}
