using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// The sign-outs kept in PostgreSQL (<c>console_session_revocations</c>, migration 0013) until their sessions
/// expire: read into <see cref="SessionRevocations"/> before the ingress serves (so one started after a sign-out
/// refuses that cookie) and again every <see cref="Refresh"/> (which also covers an announcement RabbitMQ lost);
/// expired rows are deleted on the way.
/// </summary>
public sealed partial class StoredSessionRevocations(
    IServiceScopeFactory scopes, SessionRevocations revocations, TimeProvider time, ILogger<StoredSessionRevocations> logger) : BackgroundService
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>Stores a sign-out; a repeat of the same session changes nothing.</summary>
    public static Task StoreAsync(AlgoSignalDbContext db, string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"INSERT INTO console_session_revocations (session_id, expires_at) VALUES ({sessionId}, {expiresAt}) ON CONFLICT (session_id) DO NOTHING",
            cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start before the server listens: the first request already knows every sign-out.
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Refresh, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await LoadAsync(stoppingToken);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var now = time.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"DELETE FROM console_session_revocations WHERE expires_at <= {now}", linked.Token);
            var rows = await db.ConsoleSessionRevocations.AsNoTracking().Where(r => r.ExpiresAt > now).ToListAsync(linked.Token);
            foreach (var row in rows)
            {
                revocations.Revoke(row.SessionId, row.ExpiresAt);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotLoaded(logger, Refresh.TotalSeconds, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored sign-outs could not be read ({ErrorType}); trying again in {Seconds} s (meanwhile the ones this process heard of apply)")]
    private static partial void LogNotLoaded(ILogger logger, double seconds, string errorType);
}
