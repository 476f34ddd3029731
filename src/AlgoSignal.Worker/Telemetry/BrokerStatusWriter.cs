using System.Text.Json;
using AlgoSignal.Brokers;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>
/// Writes each configured live broker's state to <c>component_status</c> every few seconds — its environment, whether
/// its calls get answers (<c>connected</c>, <c>disconnected</c> after <see cref="BrokerHealth.FailuresToDisconnect"/>
/// failures in a row, <c>unknown</c> before the first call), when one last succeeded and since when its order stream is
/// connected — for the ingress's
/// <c>GET /api/v1/health</c>. A broker becoming disconnected queues <c>broker.disconnected</c> in the same save.
/// </summary>
public sealed partial class BrokerStatusWriter(
    IEnumerable<IBrokerAdapter> adapters, BrokerHealth health, Pipeline.BrokerStreamHealth streams, IServiceScopeFactory scopes, NotificationOutbox notifications, TimeProvider time,
    ILogger<BrokerStatusWriter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public const string Prefix = "broker:";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!adapters.Any())
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WriteAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogWriteFailed(logger, ex.Message);
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

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var now = time.GetUtcNow();
        var names = adapters.Select(a => Prefix + a.Name).ToList();
        var rows = await db.ComponentStatus.Where(c => names.Contains(c.Component)).ToDictionaryAsync(c => c.Component, cancellationToken);
        foreach (var adapter in adapters)
        {
            var calls = health.Of(adapter.Name);
            if (!rows.TryGetValue(Prefix + adapter.Name, out var row))
            {
                row = new ComponentStatusEntity { Component = Prefix + adapter.Name, State = BrokerStates.Unknown };
                db.ComponentStatus.Add(row);
            }
            else if (calls is null)
            {
                // Another worker made the calls this one did not: its report stands.
                continue;
            }

            var state = calls?.State ?? BrokerStates.Unknown;
            if (state == BrokerStates.Disconnected && row.State != BrokerStates.Disconnected)
            {
                notifications.Add(db, new NotificationMessage(NotificationEvents.BrokerDisconnected, now, null, null, null,
                    $"Broker {adapter.Name} is not answering: {calls!.Failures} calls in a row failed ({calls.LastFailure}).",
                    new Dictionary<string, object?> { ["broker"] = adapter.Name, ["failures"] = calls.Failures, ["last_failure"] = calls.LastFailure, ["last_success_at"] = calls.LastSuccessAt }),
                    $"broker:{adapter.Name}:{calls.LastFailureAt!.Value.ToUnixTimeMilliseconds()}");
            }

            row.State = state;
            row.LastSuccessAt = calls?.LastSuccessAt ?? row.LastSuccessAt;
            row.LastFailureAt = calls?.LastFailureAt ?? row.LastFailureAt;
            row.Detail = JsonSerializer.Serialize(new
            {
                environment = adapter.Environment.ToString().ToLowerInvariant(),
                live = adapter.IsLive,
                environment_reason = adapter.EnvironmentReason,
                failures = calls?.Failures ?? 0,
                last_failure = calls?.LastFailure,
                stream_connected_since = streams.IsHealthy(adapter.Name, out var since) ? since : (DateTimeOffset?)null,
            });
            row.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker states not recorded for the health page ({Error}); tried again shortly")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
