using AlgoSignal.Brokers;
using AlgoSignal.Brokers.TradeStation;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.MarketData;
using AlgoSignal.Persistence.Books;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.Worker.Consumers;
using AlgoSignal.Worker.Notifications;
using AlgoSignal.Worker.Pipeline;
using AlgoSignal.Worker.Telemetry;
using AlgoSignal.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlgoSignal.Worker;

/// <summary>Composes the worker process: consumers, ordered alert lanes, pipeline services, options.</summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "AlgoSignal.Worker", ContentRootPath = AppContext.BaseDirectory });

        // Registered before the bus, so the lanes' exchanges exist when the bus binds its queues.
        builder.Services.AddHostedService<AlertTopology>();
        builder.AddAlgoSignalDefaults(
            bus =>
            {
                bus.AddConsumer<AlertReceivedConsumer>(typeof(AlertReceivedConsumerDefinition)).ExcludeFromConfigureEndpoints();
                bus.AddConsumer<SubmitAlertConsumer>(typeof(SubmitAlertConsumerDefinition));
                bus.AddConsumer<AlertFaultConsumer>(typeof(AlertFaultConsumerDefinition));
                bus.AddConsumer<FetchBarsConsumer>(typeof(FetchBarsConsumerDefinition));
                bus.AddConsumer<NotificationEventsConsumer>();
            },
            (context, rabbit, options) =>
            {
                foreach (var partition in AlertPartitioning.ParseSelection(options.ConsumePartitions, options.AlertPartitions))
                {
                    rabbit.ReceiveEndpoint(AlertTopology.QueueName(partition), endpoint =>
                    {
                        endpoint.ConfigureConsumeTopology = false;

                        // One consumer at a time per lane (another worker takes over if it goes away),
                        // one alert at a time within it: arrival order is execution order.
                        endpoint.SingleActiveConsumer = true;
                        endpoint.PrefetchCount = 32;
                        endpoint.ConcurrentMessageLimit = 1;
                        endpoint.Bind(AlertTopology.PartitionExchange, binding =>
                        {
                            binding.ExchangeType = "direct";
                            binding.RoutingKey = partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        });
                        endpoint.ConfigureConsumer<AlertReceivedConsumer>(context);
                    });
                }
            });
        builder.AddAlgoSignalTracing();
        builder.Services.ConfigureDbContext<AlgoSignal.Persistence.AlgoSignalDbContext>(
            o => o.AddInterceptors(new StoredTextInterceptor()), ServiceLifetime.Singleton);
        builder.AddMarketData();
        builder.Services.AddOptions<TradingOptions>().BindConfiguration(TradingOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<TradingOptions>().Configure(o =>
        {
            if (builder.Configuration["Webhook:DedupeWindow"] is { Length: > 0 } window)
            {
                o.DedupeWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        builder.Services.AddOptions<PaperBrokerOptions>().BindConfiguration(PaperBrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAlertPipeline();
        builder.Services.AddOptions<WorkerEndpointOptions>().BindConfiguration(WorkerEndpointOptions.Section);
        builder.Services.AddSingleton<WorkerEndpoint>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkerEndpoint>());
        builder.Services.AddSingleton<Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter, BrokerRequestMetrics>();
        builder.Services.AddSingleton<BrokerOrderUpdates>();
        builder.Services.AddSingleton<BrokerStreamHealth>();
        builder.Services.AddOptions<BrokerStreamOptions>().BindConfiguration(BrokerStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddNotificationDelivery();
        builder.Services.AddSingleton<BrokerHealth>();
        builder.Services.AddHostedService<BrokerStatusWriter>();
        builder.Services.AddHostedService<BrokerOrderPoller>();
        builder.Services.AddHostedService<BrokerStreamService>();
        builder.Services.AddHostedService<BrokerEnvironmentReport>();
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<BrokerReconciler>();
        builder.Services.AddHostedService<PaperMarketFollower>();
        builder.Services.AddHostedService<AlgoSignal.MarketData.MarketDataMaintenance>();
        builder.Services.AddSingleton<IRefreshTokenStore, PostgresRefreshTokenStore>();
        builder.Services
            .AddBybit(builder.Configuration)
            .AddTradeStation(builder.Configuration)
            .AddInteractiveBrokers(builder.Configuration);
        return builder;
    }
}

/// <summary>The services that take one alert to its final state (also what the consumer tests build).</summary>
public static class AlertPipelineRegistration
{
    public static IServiceCollection AddAlertPipeline(this IServiceCollection services)
    {
        services.AddAlgoSignalMetrics();
        services.AddOptions<NotificationOptions>();
        services.TryAddSingleton<NotificationOutbox>();
        services.AddSingleton<AlgoSignal.Worker.Notifications.AlertNotifications>();
        services.AddScoped<AlertProcessor>();
        services.AddScoped<RouteExecution>();
        services.AddScoped<OpenBooks>();
        services.AddScoped<PaperBroker>();
        services.AddSingleton<PaperMarket>();
        services.AddScoped<RiskFacts>();
        services.AddScoped<BrokerSubmitter>();
        services.AddSingleton<BrokerRegistry>();
        return services;
    }
}
