using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.ServiceDefaults.Telemetry;

/// <summary>Registers <see cref="AlgoSignalMetrics"/> and the Prometheus export; maps <c>/metrics</c>.</summary>
public static class MetricsRegistration
{
    public const string Path = "/metrics";

    public static IServiceCollection AddAlgoSignalMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlgoSignalMetrics>();
        services.TryAddSingleton<MetricsExport>();

        // Listening starts with the host, not with the first scrape: a measurement made while nobody
        // listens is lost.
        services.AddHostedService<MetricsExportStarter>();
        return services;
    }

    public static IEndpointConventionBuilder MapAlgoSignalMetrics(this IEndpointRouteBuilder app)
    {
        var export = app.ServiceProvider.GetRequiredService<MetricsExport>();
        return app.MapGet(Path, () => Results.Text(export.Render(), MetricsExport.ContentType)).ExcludeFromDescription();
    }

    private sealed class MetricsExportStarter(MetricsExport export) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(export);
            return Task.CompletedTask;
        }
    }
}
