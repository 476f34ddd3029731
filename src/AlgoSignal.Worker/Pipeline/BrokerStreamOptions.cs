using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Worker.Pipeline;

/// <summary><c>BrokerStreams:*</c>: how orders are followed while a broker's stream pushes their changes.</summary>
public sealed class BrokerStreamOptions
{
    public const string Section = "BrokerStreams";

    /// <summary>Off follows every live order by polling only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>While a broker's stream is healthy, each of its open orders is still polled this rarely, in case a message was lost.</summary>
    [Range(1, 3_600, ErrorMessage = "BrokerStreams:SafetyPollSeconds must be between 1 and 3600.")]
    public int SafetyPollSeconds { get; set; } = 120;

    /// <summary>The longest wait between reconnection attempts (the wait doubles from one second up to this).</summary>
    [Range(1, 600, ErrorMessage = "BrokerStreams:MaxBackoffSeconds must be between 1 and 600.")]
    public int MaxBackoffSeconds { get; set; } = 60;
}
