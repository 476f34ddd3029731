using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.ServiceDefaults;

/// <summary><c>RabbitMq:*</c> (docs/architecture.md, "Configuration keys").</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required(ErrorMessage = "RabbitMq:Host is required (e.g. 127.0.0.1).")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "RabbitMq:Port must be a TCP port (1–65535).")]
    public int Port { get; set; } = 5672;

    [Required(ErrorMessage = "RabbitMq:VirtualHost is required (\"/\" is the default virtual host).")]
    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = "RabbitMq:Username is required.")]
    public string Username { get; set; } = "guest";

    [Required(ErrorMessage = "RabbitMq:Password is required.")]
    public string Password { get; set; } = "guest";

    /// <summary>Declare queues as quorum queues so a RabbitMQ cluster replicates them.</summary>
    public bool UseQuorumQueues { get; set; }

    /// <summary>
    /// Ordered lanes for alerts (queues <c>alert-received-0</c>…). Alerts of one strategy and symbol share
    /// a lane. Every ingress and worker must use the same number.
    /// </summary>
    [Range(1, 256, ErrorMessage = "RabbitMq:AlertPartitions must be between 1 and 256.")]
    public int AlertPartitions { get; set; } = 8;

    /// <summary>Which lanes this worker consumes, e.g. <c>0-3</c>; empty = all. Each lane has one active consumer at a time.</summary>
    public string? ConsumePartitions { get; set; }
}
