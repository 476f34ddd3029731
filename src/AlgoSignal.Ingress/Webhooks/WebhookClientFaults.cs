namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Expected client misbehaviour — a body that arrives too slowly, a client that hangs up while
/// sending it — is a warning line without a stack trace, and a flood of it is one line per window
/// plus a count, like the webhook log's rejections: noise must not hide an attack.
/// </summary>
public sealed partial class WebhookClientFaults(TimeProvider time, ILogger<WebhookClientFaults> logger)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _windowStart;
    private long _more;

    public void Report(string route, string? sourceIp, string what)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_windowStart is { } start && now - start < WebhookLog.AggregationWindow)
            {
                _more++;
                return;
            }

            _windowStart = now;
        }

        LogBodyNotReceived(logger, route, what, sourceIp);
    }

    /// <summary>Closes an ended window (or, with <paramref name="all"/>, the open one) and logs its count.</summary>
    public void Flush(bool all = false)
    {
        long more;
        lock (_gate)
        {
            if (_windowStart is not { } start || (!all && time.GetUtcNow() - start < WebhookLog.AggregationWindow))
            {
                return;
            }

            more = _more;
            _more = 0;
            _windowStart = null;
        }

        if (more > 0)
        {
            LogMore(logger, more, (int)WebhookLog.AggregationWindow.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook body not received on the {Route} route from {SourceIp}: {What}")]
    private static partial void LogBodyNotReceived(ILogger logger, string route, string what, string? sourceIp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more webhook bodies not received within {Seconds} s (slow or vanished clients); each is in the webhook log")]
    private static partial void LogMore(ILogger logger, long count, int seconds);
}
