using System.Diagnostics;
using AlgoSignal.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlgoSignal.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry tracing (README, Traces): the webhook request, its publish to RabbitMQ and the worker's consume
/// (MassTransit carries the trace context in the message headers), the worker's PostgreSQL commands (Npgsql) and
/// its HTTP calls to brokers — one trace per alert, each span tagged <c>alert_id</c>. Exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; without it nothing is registered, collected or sent.
/// </summary>
public static class Tracing
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AlertIdTag = "alert_id";

    /// <summary>Set on an HTTP request whose URL carries a secret (Telegram's bot token): it is never traced.</summary>
    public static readonly HttpRequestOptionsKey<bool> SecretUrl = new("AlgoSignal.SecretUrl");

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);

    public static IHostApplicationBuilder AddAlgoSignalTracing(this IHostApplicationBuilder builder, Action<TracerProviderBuilder>? configure = null)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing =>
            {
                tracing.AddSource("MassTransit")
                    .AddSource("Npgsql")
                    .AddProcessor(new AlertIdProcessor())
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !(request.Options.TryGetValue(SecretUrl, out var secret) && secret));
                configure?.Invoke(tracing);

                // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL (grpc or http/protobuf) and _HEADERS from the configuration.
                tracing.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary>Tags the current span (the request or the consume of an alert) with the alert's id; its children inherit it.</summary>
    public static void TagAlert(Guid alertId) => Activity.Current?.SetTag(AlertIdTag, alertId.ToString());

    /// <summary>Gives a span its parent's <c>alert_id</c>: a PostgreSQL command or broker call inside an alert's processing carries it.</summary>
    private sealed class AlertIdProcessor : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.Parent?.GetTagItem(AlertIdTag) is { } alertId)
            {
                data.SetTag(AlertIdTag, alertId);
            }
        }
    }
}

/// <summary>Tags the span of every consumed alert message with its <c>alert_id</c>, before any consumer runs.</summary>
public sealed class AlertIdTagFilter<T> : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is AlertReceived alert)
        {
            Tracing.TagAlert(alert.AlertId);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("alertIdTag");
}
