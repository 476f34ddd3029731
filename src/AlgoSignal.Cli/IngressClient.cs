using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace AlgoSignal.Cli;

/// <summary>HTTP to the ingress, turning every transport failure into one line that says what to do.</summary>
public sealed class IngressClient(Uri baseUrl, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = timeout };

    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            throw new CliFailure(Describe(ex));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure(
                $"{baseUrl} did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: check that AlgoSignal is running and reachable there, or allow longer with --timeout.");
        }
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(method, path) { Content = content };
    }

    public void Dispose() => _http.Dispose();

    private string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return (ex.HttpRequestError, socket?.SocketErrorCode) switch
        {
            (_, SocketError.ConnectionRefused) =>
                $"nothing answers at {baseUrl} (connection refused): start AlgoSignal with infra/run.sh, or point --url / ALGOSIGNAL_URL at a running ingress.",
            (HttpRequestError.NameResolutionError, _) or (_, SocketError.HostNotFound) =>
                $"the host of {baseUrl} is not known (name resolution failed): check --url / ALGOSIGNAL_URL.",
            (HttpRequestError.SecureConnectionError, _) =>
                $"the TLS connection to {baseUrl} failed ({OneLine(ex.InnerException?.Message ?? ex.Message)}): check the URL's scheme and the server's certificate.",
            _ => $"the request to {baseUrl} failed: {OneLine(ex.Message)}",
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
