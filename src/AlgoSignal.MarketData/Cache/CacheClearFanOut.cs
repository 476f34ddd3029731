using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AlgoSignal.MarketData.Cache;

/// <summary>
/// <c>DELETE /api/v1/cache/clear</c> empties the memory (L1) of every instance, not only the one asked: the
/// clear is announced with PostgreSQL's <c>NOTIFY</c> on <see cref="Channel"/>, which every process holding
/// an L1 <c>LISTEN</c>s to. PostgreSQL rather than a RabbitMQ fan-out: every instance already holds a
/// connection to it, the notification is delivered after the L2 truncate commits, and no queue per
/// instance has to be declared and cleaned up. A listener that lost its connection clears its L1 when it
/// is back, since a clear may have been missed meanwhile.
/// </summary>
public sealed partial class CacheClearFanOut(NpgsqlDataSource dataSource, BarMemoryCache memory, TimeProvider time, ILogger<CacheClearFanOut> logger) : BackgroundService
{
    public const string Channel = "algosignal_market_data_cache_clear";

    /// <summary>Tells every instance (this one included) to clear its L1.</summary>
    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"NOTIFY {Channel}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Channel)
                    {
                        memory.Clear();
                        LogCleared(logger);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (attempt > 0)
                {
                    memory.Clear();
                }

                attempt = 0;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                LogListenFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Market data memory (L1) cleared: a clear was announced")]
    private static partial void LogCleared(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for market data cache clears failed ({Error}); listening again shortly")]
    private static partial void LogListenFailed(ILogger logger, string error);
}
