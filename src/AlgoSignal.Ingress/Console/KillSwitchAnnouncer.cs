using AlgoSignal.Contracts;
using AlgoSignal.Ingress.Webhooks;
using MassTransit;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Tells every ingress (and any other follower) that the kill switch changed, and by whom: the console
/// session or an API key, with the client address — never the key. The change itself is already stored;
/// when RabbitMQ cannot take the event in time it is logged and the change stands.
/// </summary>
public sealed partial class KillSwitchAnnouncer(IBus bus, TimeProvider time, ILogger<KillSwitchAnnouncer> logger)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// "console session of key 1a2b3c4d from 10.0.0.5" or "API key 1a2b3c4d from 10.0.0.5": the key is named by
    /// the first 8 hex digits of its session fingerprint (a one-way hash), enough to tell configured keys apart.
    /// </summary>
    public static string Who(HttpContext http, AddressRules addresses)
    {
        var from = addresses.ClientAddress(http)?.ToString() ?? "an unknown address";
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleSessions.Scheme })
        {
            return http.User.FindFirst(ConsoleSessions.KeyClaim)?.Value is { Length: >= 8 } fingerprint
                ? $"console session of key {Label(fingerprint)} from {from}"
                : $"console session from {from}";
        }

        var key = http.Request.Headers[Api.ApiKeyFilter.HeaderName].ToString();
        return key.Length > 0 ? $"API key {Label(ConsoleSessions.Fingerprint(key))} from {from}" : $"API key from {from}";
    }

    private static string Label(string fingerprint) => fingerprint[..8].ToLowerInvariant();

    public async Task AnnounceAsync(bool enabled, string? reason, string who, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await bus.Publish(new KillSwitchChanged(enabled, reason, who, changedAt), linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotAnnounced(logger, enabled, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kill switch change (enabled: {Enabled}) stored but not announced on RabbitMQ ({ErrorType}); consoles see it at their next reload")]
    private static partial void LogNotAnnounced(ILogger logger, bool enabled, string errorType);
}
