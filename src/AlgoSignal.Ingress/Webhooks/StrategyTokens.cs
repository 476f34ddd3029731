using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// The TradingView route's tokens, held in memory as SHA-256 hashes so that accepting an alert needs
/// no database round trip. Refreshed in the background; a miss triggers an early refresh (at most one
/// a second) so a strategy created or rotated a moment ago is found.
/// </summary>
public sealed partial class StrategyTokens(IServiceScopeFactory scopes, TimeProvider time, ILogger<StrategyTokens> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinRefreshGap = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile IReadOnlyList<(byte[] Hash, string Strategy)> _tokens = [];
    private long _lastRefreshTicks;

    /// <returns>The strategy the token belongs to, or null.</returns>
    public async Task<string?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 16 or > 256)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var found = Match(hash);
        if (found is null && time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastRefreshTicks) > MinRefreshGap.Ticks)
        {
            await RefreshAsync(cancellationToken);
            found = Match(hash);
        }

        return found;
    }

    /// <summary>Reloads now (after a strategy was created, rotated or deleted through this process).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var rows = await db.Strategies.AsNoTracking().Where(s => s.WebhookTokenHash != null)
                .Select(s => new { s.WebhookTokenHash, s.Name }).ToListAsync(cancellationToken);
            _tokens = rows.Select(r => (r.WebhookTokenHash!, r.Name)).ToList();
            Interlocked.Exchange(ref _lastRefreshTicks, time.GetUtcNow().UtcTicks);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(RefreshEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private string? Match(byte[] hash)
    {
        // Every stored hash is compared, in constant time, whatever matched earlier.
        string? found = null;
        foreach (var (stored, strategy) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(stored, hash))
            {
                found = strategy;
            }
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the TradingView tokens: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
