using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// The HttpClient of the webhook and Telegram channels. It logs nothing (IHttpClientFactory's loggers print request
/// URLs, and Telegram's URL holds the bot token) and a request marked secret is left out of traces (README, Traces).
/// </summary>
public static class NotificationHttp
{
    public const string ClientName = "AlgoSignal.Notifications";

    /// <summary>Marks a request whose URL carries a secret: tracing leaves it out.</summary>
    public static void MarkSecret(HttpRequestMessage request) => request.Options.Set(Tracing.SecretUrl, true);

    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (sp, http) =>
        {
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.TimeoutSeconds);
        }).RemoveAllLoggers();
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, TelegramSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddSingleton<DailySummary>();
        services.AddHostedService<NotificationDispatcher>();
        return services;
    }
}
