using AlgoSignal.ServiceDefaults.Notifications;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// The HttpClient of the webhook and Telegram channels. It logs nothing (IHttpClientFactory's loggers print request
/// URLs, and Telegram's URL holds the bot token) and a request marked secret is left out of traces (README, Traces).
/// </summary>
public static class NotificationHttp
{
    public const string ClientName = "AlgoSignal.Notifications";

    /// <summary>Set on a request whose URL carries a secret.</summary>
    public static readonly HttpRequestOptionsKey<bool> SecretUrl = new("AlgoSignal.SecretUrl");

    public static void MarkSecret(HttpRequestMessage request) => request.Options.Set(SecretUrl, true);

    public static bool IsSecret(HttpRequestMessage request) => request.Options.TryGetValue(SecretUrl, out var secret) && secret;

    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (sp, http) =>
        {
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.TimeoutSeconds);
        }).RemoveAllLoggers();
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, TelegramSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddHostedService<NotificationDispatcher>();
        return services;
    }
}
