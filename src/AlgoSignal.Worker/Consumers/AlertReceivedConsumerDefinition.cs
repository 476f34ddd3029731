using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AlgoSignal.Worker.Consumers;

/// <summary>
/// Retries in place, so the lane keeps its order: PostgreSQL being away (restart, failover) is waited
/// out for about a minute with growing pauses; RabbitMQ refusing the alert's events for up to five
/// minutes; any other fault gets three quick retries (the whole
/// alert runs in one transaction, so a retry starts clean). What still fails ends the alert
/// <c>failed</c> with the reason (<see cref="AlertFailureFilter"/>).
/// </summary>
public sealed class AlertReceivedConsumerDefinition : ConsumerDefinition<AlertReceivedConsumer>
{
    public AlertReceivedConsumerDefinition()
    {
        // The lanes (alert-received-N) are configured in WorkerHost; this definition supplies the retry policy.
        EndpointName = "alert-received";
    }

    public static bool IsDatabaseOutage(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is not PostgresException,
        DbUpdateException { InnerException: { } inner } => IsDatabaseOutage(inner),
        InvalidOperationException { InnerException: { } inner } => IsDatabaseOutage(inner),
        TimeoutException => true,
        _ => false,
    };

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AlertReceivedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Configured first, so it runs outside every retry below: it sees only what they gave up on.
        endpointConfigurator.UseFilter(new AlertFailureFilter(
            context.GetRequiredService<IServiceScopeFactory>(), context.GetRequiredService<TimeProvider>(), context.GetRequiredService<ILogger<AlertFailureFilter>>()));

        // RabbitMQ away after the alert committed: publishing its events is retried every second for
        // five minutes, each try bounded (AlertReceivedConsumer.EventPublishBudget), so the lane's
        // receive endpoint is free to reconnect as soon as RabbitMQ is back.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<EventsNotPublishedException>();
            r.Interval(300, TimeSpan.FromSeconds(1));
        });
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<Exception>(IsDatabaseOutage);
            r.Exponential(12, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(IsDatabaseOutage);
            r.Ignore<ArgumentException>();
            r.Ignore<FormatException>();
            r.Ignore<EventsNotPublishedException>();
            r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        });
    }
}
