using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Telemetry;

/// <summary>
/// Keeps <c>algosignal_kill_switch_active</c> true to the database at start and every
/// <see cref="Interval"/>, so every ingress instance shows a switch flipped through any other.
/// </summary>
public sealed partial class KillSwitchMonitor(IServiceScopeFactory scopes, AlgoSignalMetrics metrics, TimeProvider time, ILogger<KillSwitchMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
                if (await db.KillSwitch.AsNoTracking().Where(k => k.Id == 1).Select(k => (bool?)k.Enabled).SingleOrDefaultAsync(stoppingToken) is { } enabled)
                {
                    metrics.KillSwitch(enabled);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The gauge keeps its last value; /health/ready says the database is away.
                LogUnreadable(logger, ex.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kill switch state not read for the metrics: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);
}
