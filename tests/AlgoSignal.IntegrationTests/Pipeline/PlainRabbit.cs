using System.Text;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>
/// The plain RabbitMQ client as another service uses it: publishes to AlgoSignal's queues and
/// follows its events through a queue of its own bound to the event exchanges (declared as MassTransit
/// declares them, so each test fails only for what it proves; that the worker declares them at start
/// is <see cref="Integrating_through_rabbitmq"/>'s own test).
/// </summary>
public sealed class PlainRabbit : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<(string Type, JsonElement Message)> _seen = [];

    private PlainRabbit(IConnection connection, IChannel channel, string queue) => (_connection, _channel, _queue) = (connection, channel, queue);

    /// <summary>Binds a private queue to the <c>AlgoSignal.Contracts:&lt;event&gt;</c> exchanges.</summary>
    public static async Task<PlainRabbit> FollowAsync(AlgoSignalFixture fixture, params string[] events)
    {
        var connection = await fixture.RabbitConnectionFactory().CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var name in events)
        {
            await channel.ExchangeDeclareAsync("AlgoSignal.Contracts:" + name, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, "AlgoSignal.Contracts:" + name, "");
        }

        return new PlainRabbit(connection, channel, queue);
    }

    /// <summary>Waits until an event of the type matches (the envelope's <c>message</c>, camelCase), or fails after the timeout.</summary>
    public async Task<JsonElement> WaitForAsync(string type, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = _seen.FirstOrDefault(e => e.Type == type && match(e.Message));
            if (found.Type is not null)
            {
                return found.Message;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"No {type} event matched; seen: {string.Join(", ", _seen.Select(e => $"{e.Type} {e.Message}"))}");
            }

            var delivery = await _channel.BasicGetAsync(_queue, autoAck: true);
            if (delivery is null)
            {
                await Task.Delay(50);
                continue;
            }

            using var envelope = JsonDocument.Parse(delivery.Body.ToArray());
            var name = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            _seen.Add((name[(name.LastIndexOf(':') + 1)..], envelope.RootElement.GetProperty("message").Clone()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>Publishes an <see cref="AlertReceived"/> in MassTransit's envelope to its lane, as the ingress would (or anyone with access).</summary>
    public static async Task PublishAlertReceivedAsync(AlgoSignalFixture fixture, AlertReceived message, int partition)
    {
        var envelope = JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { "urn:message:AlgoSignal.Contracts:AlertReceived" },
            message = new
            {
                alertId = message.AlertId,
                receivedAt = message.ReceivedAt,
                source = message.Source,
                strategy = message.Strategy,
                sourceIp = message.SourceIp,
                payload = message.Payload,
            },
        });
        await PublishAsync(fixture, "AlgoSignal.Contracts:AlertReceived", partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes(envelope));
    }

    /// <summary>Publishes a body to the <c>submit-alert</c> exchange with the given content type and message id.</summary>
    public static Task PublishSubmitAlertAsync(AlgoSignalFixture fixture, Guid messageId, string body, string contentType = "application/json") =>
        PublishAsync(fixture, "submit-alert", "", new BasicProperties { ContentType = contentType, Persistent = true, MessageId = messageId.ToString() }, Encoding.UTF8.GetBytes(body));

    /// <summary>Messages waiting in a queue; 0 when the queue does not exist.</summary>
    public static async Task<uint> MessageCountAsync(AlgoSignalFixture fixture, string queue)
    {
        await using var connection = await fixture.RabbitConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private static async Task PublishAsync(AlgoSignalFixture fixture, string exchange, string routingKey, BasicProperties properties, byte[] body)
    {
        await using var connection = await fixture.RabbitConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }
}
