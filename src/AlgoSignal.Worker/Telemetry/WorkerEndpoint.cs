using AlgoSignal.ServiceDefaults;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>
/// The worker's small HTTP endpoint (<c>Worker:Urls</c>): <c>/metrics</c> and the same health checks as
/// the ingress, on a Kestrel of its own so the worker stays a plain host. An address already in use is
/// logged and the worker goes on consuming: trading never stops for want of a metrics port (Prometheus
/// then sees the target down, which the rules in infra/prometheus report).
/// </summary>
public sealed partial class WorkerEndpoint(
    IOptions<WorkerEndpointOptions> options, HealthCheckService health, MetricsExport export, ILoggerFactory loggers, ILogger<WorkerEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses it listens on once started (the real port when 0 was configured); empty when off.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = options.Value.Urls?.Trim() ?? "";
        if (urls.Length == 0)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "AlgoSignal.Worker.Endpoint" });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton(export);
        builder.Services.AddRouting();
        var app = builder.Build();
        app.MapLiveAndReady();
        app.MapAlgoSignalMetrics();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            LogNotListening(logger, urls, ex.Message);
            await app.DisposeAsync();
            return;
        }

        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a))];
        LogListening(logger, string.Join(", ", Addresses));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker metrics and health at {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker:Urls {Urls} cannot be listened on ({Reason}): this worker serves no metrics or health; set Worker:Urls to a free address (port 0 picks one)")]
    private static partial void LogNotListening(ILogger logger, string urls, string reason);
}
