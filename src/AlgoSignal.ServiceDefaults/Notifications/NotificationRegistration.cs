using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlgoSignal.ServiceDefaults.Notifications;

public static class NotificationRegistration
{
    /// <summary>The <c>Notifications:*</c> options, validated at start, and the outbox that queues notifications.</summary>
    public static IServiceCollection AddAlgoSignalNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.Problem() is null, "Notifications configuration is invalid: see the README's Notifications section.")
            .ValidateOnStart();
        services.TryAddSingleton<NotificationOutbox>();
        return services;
    }
}
