namespace AlgoSignal.Ingress.Security;

/// <summary>What protects the management API and every answer: the API-key guard, headers, no server banner.</summary>
public static class IngressHardening
{
    public static WebApplicationBuilder AddIngressHardening(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyFailureOptions>().BindConfiguration(ApiKeyFailureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyGuard>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiKeyGuard>());

        // "Server: Kestrel" only tells a scanner what to try.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }
}
