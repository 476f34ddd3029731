using AlgoSignal.Brokers.Bybit;
using AlgoSignal.Brokers.InteractiveBrokers;
using AlgoSignal.Brokers.TradeStation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers;

/// <summary>
/// One call per broker: its options (validated at start), its adapter on a named HttpClient and, where the broker has
/// one, its order stream. A broker is offered to strategies only when its credentials are configured; its options are
/// validated either way, so a wrong setting stops the process with a message instead of waiting for the first order.
/// </summary>
public static class BrokerRegistration
{
    /// <summary>Bybit V5 (<c>Brokers:Bybit</c>), offered when <c>ApiKey</c> and <c>ApiSecret</c> are set; its private stream when one is known or configured.</summary>
    public static IServiceCollection AddBybit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BybitOptions>().BindConfiguration(BybitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var section = configuration.GetSection(BybitOptions.Section);
        if (string.IsNullOrEmpty(section["ApiKey"]) || string.IsNullOrEmpty(section["ApiSecret"]))
        {
            return services;
        }

        services.AddHttpClient<BybitAdapter>()
            .AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<BybitAuthHandler>(sp));
        services.AddSingleton<IBrokerAdapter>(sp => ActivatorUtilities.CreateInstance<BybitAdapter>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(BybitAdapter))));
        if ((section.Get<BybitOptions>() ?? new BybitOptions()).ResolvedStreamUrl is not null)
        {
            services.AddSingleton<IBrokerOrderStream, BybitOrderStream>();
        }

        return services;
    }

    /// <summary>
    /// TradeStation v3 (<c>Brokers:TradeStation</c>), offered when <c>ClientId</c> and <c>AccountId</c> are set; its order
    /// stream unless <c>StreamOrders</c> is off. The host registers the <see cref="IRefreshTokenStore"/> that keeps rotated tokens.
    /// </summary>
    public static IServiceCollection AddTradeStation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TradeStationOptions>().BindConfiguration(TradeStationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var section = configuration.GetSection(TradeStationOptions.Section);
        if (string.IsNullOrEmpty(section["ClientId"]) || string.IsNullOrEmpty(section["AccountId"]))
        {
            return services;
        }

        services.AddSingleton<TradeStationSession>();
        services.AddHttpClient<TradeStationAdapter>()
            .AddHttpMessageHandler(sp => new TradeStationAuthHandler(sp.GetRequiredService<TradeStationSession>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TradeStationAdapter>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TradeStationAdapter))));
        services.AddSingleton<IBrokerAdapter>(sp => sp.GetRequiredService<TradeStationAdapter>());
        if (section.GetValue("StreamOrders", true))
        {
            services.AddSingleton<IBrokerOrderStream>(sp => sp.GetRequiredService<TradeStationAdapter>());
        }

        return services;
    }

    /// <summary>Interactive Brokers' Client Portal Web API (<c>Brokers:InteractiveBrokers</c>), offered when <c>AccountId</c> is set.</summary>
    public static IServiceCollection AddInteractiveBrokers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InteractiveBrokersOptions>().BindConfiguration(InteractiveBrokersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (string.IsNullOrEmpty(configuration.GetSection(InteractiveBrokersOptions.Section)["AccountId"]))
        {
            return services;
        }

        services.AddHttpClient<InteractiveBrokersAdapter>()
            .ConfigurePrimaryHttpMessageHandler(sp => InteractiveBrokersAdapter.CreateHandler(sp.GetRequiredService<IOptions<InteractiveBrokersOptions>>().Value))
            .AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<InteractiveBrokersSessionHandler>(sp));
        services.AddSingleton<IBrokerAdapter>(sp => ActivatorUtilities.CreateInstance<InteractiveBrokersAdapter>(
            sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InteractiveBrokersAdapter))));
        return services;
    }
}
