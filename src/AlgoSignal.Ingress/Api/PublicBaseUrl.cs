using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// The base of every public URL the ingress writes (<c>webhook_url</c>, the OpenAPI server):
/// <c>Api:PublicBaseUrl</c>, else the first address it listens on. Never the request's Host header — a
/// client chooses that, and a token URL pointing at the client's host would hand the token to it.
/// </summary>
public sealed class PublicBaseUrl(IOptions<ApiOptions> options, IServer server)
{
    public string Value
    {
        get
        {
            if (options.Value.PublicBaseUrl is { Length: > 0 } configured)
            {
                return configured.TrimEnd('/');
            }

            // After start the feature holds the bound addresses (a configured port 0 resolved to the real one).
            var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? IngressApp.DefaultUrl;
            var address = BindingAddress.Parse(first);
            var host = address.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? "localhost" : address.Host;
            return $"{address.Scheme}://{host}:{address.Port}";
        }
    }
}
