using System.Collections.Concurrent;
using System.Text.Json;
using AlgoSignal.Domain.Security;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// A receiver of AlgoSignal's notification webhooks that checks each request as a careful receiver would: JSON content,
/// and — when it has a secret — the <c>X-AlgoSignal-Signature</c> header verified with the very code the ingress uses
/// (a missing, stale or wrong signature is a 401 and is not kept). It can be taken down (503) and brought back.
/// </summary>
public sealed class FakeWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _secret;

    private FakeWebhookReceiver(WebApplication app, string? secret)
    {
        _app = app;
        _secret = secret;
    }

    public ConcurrentQueue<JsonElement> Received { get; } = new();

    /// <summary>Requests refused (bad signature, bad body), with the reason.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public volatile bool Down;

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeWebhookReceiver> StartAsync(string? secret)
    {
        var builder = LocalServer.CreateBuilder();
        var app = builder.Build();
        var fake = new FakeWebhookReceiver(app, secret);
        app.MapPost("/hook", fake.ReceiveAsync);
        await app.StartAsync();
        fake.Url = new Uri(LocalServer.AddressOf(app), "/hook");
        return fake;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (Down)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            Refused.Enqueue("content type " + request.ContentType);
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        if (_secret is not null)
        {
            var check = WebhookSignature.Verify(request.Headers[WebhookSignature.HeaderName], body, [_secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            if (check != SignatureCheck.Valid)
            {
                Refused.Enqueue("signature " + check);
                return Results.Unauthorized();
            }
        }

        try
        {
            Received.Enqueue(JsonDocument.Parse(body).RootElement.Clone());
        }
        catch (JsonException ex)
        {
            Refused.Enqueue("json " + ex.Message);
            return Results.BadRequest();
        }

        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
