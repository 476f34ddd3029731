using System.Collections.Concurrent;
using System.Text.Json;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AlgoSignal.Ingress.Health;

/// <summary>
/// The operating components of <c>GET /api/v1/health</c> (README, Health), each with its state and the time of its last
/// success: PostgreSQL and RabbitMQ (their checks, remembered), the alert queue's backlog (RabbitMQ's own count, read by a
/// passive declare of each lane), every live broker (what the worker last recorded in <c>component_status</c>), market
/// data (the last successful fetch) and every configured notification channel (its last delivery and backlog).
/// </summary>
public sealed partial class OperationsHealth(
    NpgsqlDataSource database, IOptions<NotificationOptions> notifications, IOptions<RabbitMqOptions> rabbit, TimeProvider time, ILogger<OperationsHealth> logger) : IAsyncDisposable
{
    /// <summary>Each live broker is the component <c>broker:&lt;name&gt;</c>, each notification channel <c>notification:&lt;channel&gt;</c>.</summary>
    public const string BrokerPrefix = "broker:";

    public const string NotificationPrefix = "notification:";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastHealthy = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _queueGate = new(1, 1);
    private IConnection? _connection;
    private (DateTimeOffset At, object Value)? _queue;
    private DateTimeOffset? _queueLastSuccess;

    public async Task AddAsync(Dictionary<string, object> components, HealthReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status == HealthStatus.Healthy)
            {
                _lastHealthy[name] = now;
            }

            components[name] = Check(entry, name);
        }

        if (report.Entries.FirstOrDefault(e => e.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase)) is { Key: not null } bus)
        {
            components["rabbitmq"] = Check(bus.Value, bus.Key);
        }

        components["queue"] = await QueueAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            foreach (var (name, broker) in await BrokersAsync(connection, cancellationToken))
            {
                components[BrokerPrefix + name] = broker;
            }

            components["market_data"] = await MarketDataAsync(connection, cancellationToken);
            foreach (var (name, channel) in await NotificationsAsync(connection, cancellationToken))
            {
                components[NotificationPrefix + name] = channel;
            }
        }
        catch (NpgsqlException ex)
        {
            LogUnreadable(logger, ex.Message);
            components["market_data"] = new { status = "unknown", description = "PostgreSQL did not answer; brokers, market data and notification channels are not known: " + ex.Message };
        }
    }

    private object Check(HealthReportEntry entry, string name) => new
    {
        status = entry.Status.ToString().ToLowerInvariant(),
        description = entry.Description,
        last_success_at = _lastHealthy.TryGetValue(name, out var at) ? at : (DateTimeOffset?)null,
    };

    private static async Task<Dictionary<string, object>> BrokersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var brokers = new Dictionary<string, object>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            "SELECT component, state, detail, last_success_at, last_failure_at, updated_at FROM component_status WHERE component LIKE 'broker:%' ORDER BY component", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = reader.GetString(1);
            using var detail = JsonDocument.Parse(reader.IsDBNull(2) ? "{}" : reader.GetString(2));
            var d = detail.RootElement;
            brokers[reader.GetString(0)[BrokerPrefix.Length..]] = new
            {
                status = state == "disconnected" ? "unhealthy" : state == "connected" ? "healthy" : "unknown",
                session = state,
                environment = d.TryGetProperty("environment", out var e) ? e.GetString() : null,
                live = d.TryGetProperty("live", out var l) && l.ValueKind == JsonValueKind.True,
                failures = d.TryGetProperty("failures", out var f) ? f.GetInt32() : 0,
                last_failure = d.TryGetProperty("last_failure", out var lf) && lf.ValueKind == JsonValueKind.String ? lf.GetString() : null,
                stream_connected_since = d.TryGetProperty("stream_connected_since", out var sc) && sc.ValueKind == JsonValueKind.String ? sc.GetDateTimeOffset() : (DateTimeOffset?)null,
                last_success_at = reader.IsDBNull(3) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(3),
                last_failure_at = reader.IsDBNull(4) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(4),
                reported_at = reader.GetFieldValue<DateTimeOffset>(5),
            };
        }

        return brokers;
    }

    private static async Task<object> MarketDataAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT max(fetched_at), count(*) FROM bar_series", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new
        {
            status = "healthy",
            last_success_at = reader.IsDBNull(0) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(0),
            series = reader.GetInt64(1),
        };
    }

    private async Task<Dictionary<string, object>> NotificationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<string, object>(StringComparer.Ordinal);
        var configured = notifications.Value.Channels();
        if (configured.Count == 0)
        {
            return channels;
        }

        await using var command = new NpgsqlCommand("""
            SELECT c.name, s.last_success_at, s.last_failure_at, s.last_error, COALESCE(s.failures, 0), s.paused_until,
                   (SELECT count(*) FROM notifications n WHERE n.channel = c.name AND n.status = $2),
                   (SELECT count(*) FROM notifications n WHERE n.channel = c.name AND n.status = $3)
            FROM unnest($1::text[]) AS c(name) LEFT JOIN notification_channels s ON s.channel = c.name
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = configured.Select(c => c.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = NotificationStatuses.Pending });
        command.Parameters.Add(new NpgsqlParameter { Value = NotificationStatuses.Failed });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var failures = reader.GetInt32(4);
            channels[reader.GetString(0)] = new
            {
                status = failures > 0 ? "unhealthy" : reader.IsDBNull(1) ? "unknown" : "healthy",
                last_success_at = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1),
                last_failure_at = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2),
                last_error = reader.IsDBNull(3) ? null : reader.GetString(3),
                failures,
                paused_until = reader.IsDBNull(5) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(5),
                pending = reader.GetInt64(6),
                failed = reader.GetInt64(7),
            };
        }

        return channels;
    }

    /// <summary>Messages waiting in the alert lanes and the consumers reading them; read at most every two seconds.</summary>
    private async Task<object> QueueAsync(CancellationToken cancellationToken)
    {
        await _queueGate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_queue is { } cached && now - cached.At < TimeSpan.FromSeconds(2))
            {
                return cached.Value;
            }

            var options = rabbit.Value;
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                }

                var factory = new ConnectionFactory
                {
                    HostName = options.Host, Port = options.Port, VirtualHost = options.VirtualHost, UserName = options.Username, Password = options.Password,
                    ClientProvidedName = "AlgoSignal.Ingress health",
                };
                _connection = await factory.CreateConnectionAsync(cancellationToken);
            }

            long messages = 0, consumers = 0;
            var missing = new List<string>();
            for (var partition = 0; partition < options.AlertPartitions; partition++)
            {
                var name = AlertTopology.QueueName(partition);
                await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(name, cancellationToken);
                    messages += declared.MessageCount;
                    consumers += declared.ConsumerCount;
                }
                catch (OperationInterruptedException)
                {
                    missing.Add(name);
                }
            }

            _queueLastSuccess = now;
            object value = new
            {
                status = missing.Count == 0 && consumers > 0 ? "healthy" : "unhealthy",
                messages,
                consumers,
                description = missing.Count > 0 ? $"Missing lane queues (no worker has declared them yet): {string.Join(", ", missing)}."
                    : consumers == 0 ? "No worker consumes the alert lanes." : null,
                last_success_at = _queueLastSuccess,
            };
            _queue = (now, value);
            return value;
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException or TimeoutException)
        {
            return new { status = "unhealthy", description = "RabbitMQ did not answer: " + ex.Message, last_success_at = _queueLastSuccess };
        }
        finally
        {
            _queueGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _queueGate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: the operating components could not be read from PostgreSQL ({Error})")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
