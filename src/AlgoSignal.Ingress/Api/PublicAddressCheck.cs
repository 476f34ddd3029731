using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// Says at start when the ingress listens on every interface but knows no public name: requests that
/// address the machine by its name or address (TradingView's among them) would get 400 from the Host
/// check, and webhook URLs would say localhost.
/// </summary>
public sealed partial class PublicAddressCheck(
    IServer server, IHostApplicationLifetime lifetime, IOptions<ApiOptions> options, IConfiguration configuration, ILogger<PublicAddressCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        if (!string.IsNullOrEmpty(options.Value.PublicBaseUrl) || !string.IsNullOrEmpty(configuration["AllowedHosts"]) && configuration["AllowedHosts"] != string.Join(';', ManagementApi.DefaultAllowedHosts))
        {
            return;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var wildcard = addresses.FirstOrDefault(a => BindingAddress.Parse(a).Host is "0.0.0.0" or "[::]" or "::" or "+" or "*");
        if (wildcard is not null)
        {
            LogNoPublicName(logger, wildcard, string.Join(';', ManagementApi.DefaultAllowedHosts));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ingress listens on {Address} but Api:PublicBaseUrl is not set: only the Host headers {Hosts} are answered (others get 400) "
        + "and webhook URLs name localhost. Set Api__PublicBaseUrl to the address TradingView and users reach (e.g. https://alerts.example.com), or AllowedHosts.")]
    private static partial void LogNoPublicName(ILogger logger, string address, string hosts);
}
