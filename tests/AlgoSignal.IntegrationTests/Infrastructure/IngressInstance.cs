using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.Security;
using AlgoSignal.Ingress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>An extra real ingress (Kestrel, random port) with its own settings, for tests that change configuration.</summary>
public sealed class IngressInstance : IAsyncDisposable
{
    private IngressInstance(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", AlgoSignalFixture.ApiKey);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<IngressInstance> StartAsync(IDictionary<string, string> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = IngressApp.CreateBuilder([.. settings.Select(kv => $"--{kv.Key}={kv.Value}"), "--urls=http://127.0.0.1:0"]);
        configure?.Invoke(builder);
        var app = IngressApp.Build(builder);
        await app.StartAsync();
        return new IngressInstance(app, LocalServer.AddressOf(app));
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        string path, string body, string? signature = null, bool sign = true, IDictionary<string, string>? headers = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (sign)
        {
            request.Headers.Add(WebhookSignature.HeaderName, signature ?? WebhookSignature.Header(AlgoSignalFixture.HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), bytes));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone(), response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
