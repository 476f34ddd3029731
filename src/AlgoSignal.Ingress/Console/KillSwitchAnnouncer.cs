using AlgoSignal.Contracts;
using AlgoSignal.Ingress.Webhooks;
using MassTransit;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Tells every ingress (and any other follower) that the kill switch changed, and by whom: the console
/// session or an API key, with the client address — never the key. The change itself is already stored;
/// when RabbitMQ cannot take the event in time it is logged and the change stands.
/// </summary>
public sealed partial class KillSwitchAnnouncer(IBus bus, AddressRules addresses, TimeProvider time, ILogger<KillSwitchAnnouncer> logger)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public static string Who(HttpContext http, AddressRules addresses)
    {
        var via = http.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleSessions.Scheme } ? "console session" : "API key";
        return $"{via} from {addresses.ClientAddress(http)?.ToString() ?? "an unknown address"}";
    }

    public async Task AnnounceAsync(HttpContext http, bool enabled, string? reason, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await bus.Publish(new KillSwitchChanged(enabled, reason, Who(http, addresses), changedAt), linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotAnnounced(logger, enabled, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kill switch change (enabled: {Enabled}) stored but not announced on RabbitMQ ({ErrorType}); consoles see it at their next reload")]
    private static partial void LogNotAnnounced(ILogger logger, bool enabled, string errorType);
}
