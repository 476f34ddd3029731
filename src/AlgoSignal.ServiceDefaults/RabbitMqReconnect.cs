using System.Reflection;
using MassTransit;

namespace AlgoSignal.ServiceDefaults;

/// <summary>
/// How soon a process reconnects once RabbitMQ is back. MassTransit 8.5 retries a lost RabbitMQ
/// connection on an exponential back-off of 3 s growing to 30 s between attempts, and does not expose
/// the setting; after an outage of a minute the pipeline could stay idle for up to 30 s after RabbitMQ
/// returned. The promise here is recovery within 10 s of the broker's return, so the same exceptions
/// are retried every <see cref="Interval"/> instead. The policy sits in a private field of the host
/// configuration; when a MassTransit upgrade moves it, start-up says so in the log and keeps the default
/// (the RabbitMQ outage test then fails on the 10 s promise).
/// </summary>
public static class RabbitMqReconnect
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <returns>True when the reconnect interval was applied.</returns>
    public static bool TryApply(IRabbitMqBusFactoryConfigurator configurator)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var host = configurator.GetType().GetField("_hostConfiguration", Private)?.GetValue(configurator);
        var policyField = host?.GetType().GetField("<ReceiveTransportRetryPolicy>k__BackingField", Private);
        if (policyField?.GetValue(host) is not IRetryPolicy original)
        {
            return false;
        }

        // A steady interval instead of the growing one, and every failure retried but a refused login
        // (as MassTransit's own policy does): under heavy load a reconnect can also fail with a timeout,
        // which that policy does not retry — the lane's endpoint then never came back.
        policyField.SetValue(host, Retry.CreatePolicy(retry =>
        {
            retry.Handle<Exception>(exception => original.IsHandled(exception) || !IsLoginRefused(exception));
            retry.Incremental(1_000_000, Interval, TimeSpan.Zero);
        }));
        return true;
    }

    private static bool IsLoginRefused(Exception exception) =>
        exception is RabbitMQ.Client.Exceptions.AuthenticationFailureException
        || (exception.InnerException is { } inner && IsLoginRefused(inner));
}
