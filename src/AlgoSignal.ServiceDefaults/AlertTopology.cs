using AlgoSignal.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace AlgoSignal.ServiceDefaults;

/// <summary>
/// The ordered lanes. <see cref="AlertReceived"/> is published to its own fanout exchange (so any
/// service can bind to it) with the lane number as routing key; that exchange feeds the direct
/// exchange <c>alert-partitions</c>, which routes each lane to its queue <c>alert-received-N</c>.
/// This binding is declared here, at worker start, before the bus declares the lane queues.
/// Every event exchange is declared here too: MassTransit would create one only with its first
/// message, and until then a follower binding a queue to it (README, "Integrating through RabbitMQ")
/// gets "no exchange".
/// </summary>
public sealed partial class AlertTopology(IOptions<RabbitMqOptions> options, ILogger<AlertTopology> logger) : IHostedService
{
    public const string PartitionExchange = "alert-partitions";

    /// <summary>MassTransit's name for the message type's exchange.</summary>
    public static readonly string AlertReceivedExchange = ExchangeName(typeof(AlertReceived));

    /// <summary>The events other services may follow, each on a fanout exchange named after its type.</summary>
    public static readonly IReadOnlyList<Type> Events =
    [
        typeof(AlertReceived), typeof(SignalAccepted), typeof(SignalRejected), typeof(OrderAccepted),
        typeof(OrderRejected), typeof(OrderFilled), typeof(OrderFailed), typeof(DataQualityDegraded),
    ];

    /// <summary>MassTransit's exchange name for a message type: <c>Namespace:Name</c>.</summary>
    public static string ExchangeName(Type messageType) => $"{messageType.Namespace}:{messageType.Name}";

    public static string QueueName(int partition) => $"alert-received-{partition}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = settings.Host,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = settings.Username,
            Password = settings.Password,
            ClientProvidedName = "algosignal-topology",
        };

        // The worker may start before RabbitMQ does (compose, reboot): keep trying, bounded.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                foreach (var type in Events)
                {
                    // Declared as MassTransit declares them (fanout, durable, no arguments), so its own declaration agrees.
                    await channel.ExchangeDeclareAsync(ExchangeName(type), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                }

                await channel.ExchangeDeclareAsync(PartitionExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                await channel.ExchangeBindAsync(PartitionExchange, AlertReceivedExchange, routingKey: "", cancellationToken: cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or System.Net.Sockets.SocketException && attempt < 30)
            {
                LogWaiting(logger, settings.Host, settings.Port, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Host}:{Port} not reachable yet ({Error}); retrying")]
    private static partial void LogWaiting(ILogger logger, string host, int port, string error);
}
