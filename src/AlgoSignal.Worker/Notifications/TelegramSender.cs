using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// The Telegram Bot API's <c>sendMessage</c>: POST <c>{ApiBaseUrl}/bot{token}/sendMessage</c> with <c>{chat_id, text}</c>;
/// the answer is <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code","description","parameters":{"retry_after"}}</c>.
/// A flood-control answer's <c>retry_after</c> rests the channel exactly that long. The URL holds the bot token, so it
/// never appears in an error: the client it uses logs nothing and is not traced (<see cref="NotificationHttp"/>).
/// </summary>
public sealed class TelegramSender(IHttpClientFactory clients, IOptions<NotificationOptions> options) : INotificationSender
{
    /// <summary>The Bot API refuses a text longer than 4096 characters.</summary>
    public const int MaxText = 4096;

    public string Kind => NotificationChannelKinds.Telegram;

    public async Task<SendResult> SendAsync(string channel, OutgoingNotification message, CancellationToken cancellationToken)
    {
        var telegram = options.Value.Telegram;
        var text = message.Text.Length <= MaxText ? message.Text : message.Text[..(MaxText - 1)] + "…";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{telegram.ApiBaseUrl.TrimEnd('/')}/bot{telegram.BotToken}/sendMessage")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["chat_id"] = telegram.ChatId!, ["text"] = text }),
        };
        NotificationHttp.MarkSecret(request);
        using var response = await clients.CreateClient(NotificationHttp.ClientName).SendAsync(request, cancellationToken);
        var answer = await ReadAsync(response, cancellationToken);
        if (answer is { } json && json.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True && response.IsSuccessStatusCode)
        {
            return SendResult.Ok;
        }

        var description = answer is { } a && a.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : response.ReasonPhrase;
        TimeSpan? retryAfter = answer is { } b && b.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("retry_after", out var r) && r.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
        return SendResult.Failed($"Telegram answered {(int)response.StatusCode}: {description}", retryAfter);
    }

    private static async Task<JsonElement?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)) is { ValueKind: JsonValueKind.Object } json ? json : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
