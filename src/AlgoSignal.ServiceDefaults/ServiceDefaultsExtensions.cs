using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace AlgoSignal.ServiceDefaults;

/// <summary>What every AlgoSignal process shares: logging, PostgreSQL, RabbitMQ and health checks.</summary>
public static class ServiceDefaultsExtensions
{
    public static IHostApplicationBuilder AddAlgoSignalDefaults(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator, RabbitMqOptions>? configureRabbit = null)
    {
        builder.AddAlgoSignalLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAlgoSignalMetrics();
        builder.Services.AddAlgoSignalNotifications();

        var connectionString = PostgresOptions.GetConnectionString(builder.Configuration);
        builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        builder.Services.AddDbContextPool<AlgoSignalDbContext>(o => o.UseNpgsql(connectionString));
        builder.Services.AddHealthChecks().AddDbContextCheck<AlgoSignalDbContext>("postgres", tags: ["ready"]);
        builder.Services.AddHostedService<DatabaseWarmup>();

        builder.Services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();

            // A trading product never phones home: MassTransit reports usage to its vendor unless told not to.
            bus.DisableUsageTelemetry();
            configureBus?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.UseQuorumQueues)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
                {
                    h.Username(options.Username);
                    h.Password(options.Password);

                    // 202 means durable: a publish completes only when the broker confirmed it.
                    h.PublisherConfirmation = true;
                });
                if (!RabbitMqReconnect.TryApply(cfg))
                {
                    context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RabbitMqReconnect))
                        .LogWarning("RabbitMQ reconnects keep MassTransit's default back-off (up to 30 s between attempts): its retry policy was not found");
                }

                cfg.UseConsumeFilter(typeof(AlertIdTagFilter<>), context);
                configureRabbit?.Invoke(context, cfg, options);
                cfg.ConfigureEndpoints(context);
            });
        });

        // MassTransit waits for the bus to start so that the first request can publish.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    /// <summary>
    /// Serilog as the provider: JSON lines by default, readable text with <c>Logging:Format=text</c>.
    /// Either way every logged value has its control characters escaped, so that text from outside
    /// (an alert's fields, a reason quoting them) can never write a log line of its own.
    /// </summary>
    /// <param name="builder">The host being built.</param>
    /// <param name="output">Where the lines go instead of the console (tests read them).</param>
    public static IHostApplicationBuilder AddAlgoSignalLogging(this IHostApplicationBuilder builder, TextWriter? output = null)
    {
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", builder.Environment.ApplicationName)
            .Enrich.With<EscapingEnricher>()
            .Filter.ByExcluding(IsVanishedClientDrain);
        ITextFormatter formatter = string.Equals(builder.Configuration["Logging:Format"], "text", StringComparison.OrdinalIgnoreCase)
            ? new TextLogFormatter()
            : new JsonFormatter(renderMessage: true);
        if (output is null)
        {
            configuration.WriteTo.Console(formatter);
        }
        else
        {
            configuration.WriteTo.Sink(new WriterSink(output, formatter));
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);

        // Request-start lines carry the full URL, and the TradingView route's URL holds its token:
        // that category never logs below Warning, whatever the configuration says.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Kestrel's own report of a connection whose client vanished while its request body was being drained
    /// ("Connection processing ended abnormally" with "Reading is already in progress"). The request itself is
    /// already in the webhook log and in the aggregated client-fault warning; this line would only add a stack
    /// trace per vanished client, which floods the log under a slow-body attack.
    /// </summary>
    private static bool IsVanishedClientDrain(Serilog.Events.LogEvent logEvent) =>
        logEvent.Exception is InvalidOperationException { Message: var message }
        && message.Contains("Reading is already in progress", StringComparison.Ordinal)
        && logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source.ToString().Contains("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal);

    private sealed class WriterSink(TextWriter output, ITextFormatter formatter) : Serilog.Core.ILogEventSink
    {
        private readonly Lock _gate = new();

        public void Emit(Serilog.Events.LogEvent logEvent)
        {
            lock (_gate)
            {
                formatter.Format(logEvent, output);
                output.Flush();
            }
        }
    }
}
