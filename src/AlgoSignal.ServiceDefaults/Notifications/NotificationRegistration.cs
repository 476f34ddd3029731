using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlgoSignal.ServiceDefaults.Notifications;

public static class NotificationRegistration
{
    /// <summary>The <c>Notifications:*</c> options, validated at start (the message names the key), and the outbox that queues notifications.</summary>
    public static IServiceCollection AddAlgoSignalNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, Validation>());
        services.TryAddSingleton<NotificationOutbox>();
        return services;
    }

    private sealed class Validation : IValidateOptions<NotificationOptions>
    {
        public ValidateOptionsResult Validate(string? name, NotificationOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
