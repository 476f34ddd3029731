using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.Domain.Security;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// POSTs to <c>Notifications:Webhooks:N:Url</c>: AlgoSignal's JSON body, or the shape Slack (<c>{"text"}</c>) or Discord
/// (<c>{"content"}</c>) accept. With a secret, the request is signed by <see cref="WebhookSignature"/> — the very scheme the
/// ingress verifies — so a receiver checks it the same way.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<NotificationOptions> options, TimeProvider time) : INotificationSender
{
    /// <summary>Discord refuses content over 2000 characters; Slack advises staying under 4000.</summary>
    private const int ChatTextLimit = 2000;

    public string Kind => NotificationChannelKinds.Webhook;

    public async Task<SendResult> SendAsync(string channel, OutgoingNotification message, CancellationToken cancellationToken)
    {
        var index = int.Parse(channel.AsSpan(channel.IndexOf(':', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
        var webhook = options.Value.Webhooks[index];
        var body = Encoding.UTF8.GetBytes(Body(webhook.Format, message));
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        // Slack's and Discord's webhook URLs are themselves the credential: not traced either.
        NotificationHttp.MarkSecret(request);
        if (!string.IsNullOrEmpty(webhook.Secret))
        {
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(webhook.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        }

        using var response = await clients.CreateClient(NotificationHttp.ClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return SendResult.Ok;
        }

        var retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        return SendResult.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", retryAfter);
    }

    public static string Body(string format, OutgoingNotification message) => format switch
    {
        WebhookFormats.Slack => new JsonObject { ["text"] = Clip(message.Text) }.ToJsonString(),
        WebhookFormats.Discord => new JsonObject { ["content"] = Clip(message.Text) }.ToJsonString(),
        _ => new JsonObject
        {
            ["event"] = message.Event,
            ["occurred_at"] = message.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["alert_id"] = message.AlertId?.ToString(),
            ["strategy"] = message.Strategy,
            ["symbol"] = message.Symbol,
            ["text"] = message.Text,
            ["data"] = JsonNode.Parse(message.Data),
        }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
    };

    private static string Clip(string text) => text.Length <= ChatTextLimit ? text : text[..(ChatTextLimit - 1)] + "…";
}
