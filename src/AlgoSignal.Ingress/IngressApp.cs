using System.Text.Json;
using System.Text.Json.Serialization;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Ingress.Console;
using AlgoSignal.Ingress.Health;
using AlgoSignal.Ingress.MarketData;
using AlgoSignal.Ingress.Security;
using AlgoSignal.Ingress.Telemetry;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.MarketData;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.ServiceDefaults.Telemetry;
using OpenTelemetry.Trace;

namespace AlgoSignal.Ingress;

/// <summary>Composes the ingress: services in <see cref="CreateBuilder"/>, routes in <see cref="Build"/>.</summary>
public static class IngressApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = "AlgoSignal.Ingress", ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddAlgoSignalDefaults(
            bus =>
            {
                bus.AddRequestClient<AlgoSignal.Contracts.FetchBars>();
                ConsoleRegistration.AddConsoleConsumer(bus);
            },
            (context, rabbit, _) => ConsoleRegistration.ConfigureConsoleEndpoint(context, rabbit));
        builder.AddAlgoSignalTracing(tracing => tracing.AddAspNetCoreInstrumentation(o =>
        {
            o.Filter = context => !context.Request.Path.StartsWithSegments(MetricsRegistration.Path);

            // The span's path as it started held a TradingView token: it gets the path with the token taken out.
            o.EnrichWithHttpResponse = (activity, response) => activity.SetTag("url.path", response.HttpContext.Request.Path.Value);
        }));
        builder.AddMarketData();
        builder.AddMarketDataLimits();
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.HmacSecrets.All(s => s.Length >= 16), "Webhook:HmacSecrets entries must be at least 16 characters.")
            .Validate(o => o.IpAllowlist.Cidrs.All(c => c.Equals("tradingview", StringComparison.OrdinalIgnoreCase) || AddressRules.TryParseNetwork(c, out _)),
                "Webhook:IpAllowlist:Cidrs entries must be IP addresses, CIDRs (e.g. 203.0.113.0/24) or \"tradingview\".")
            .Validate(o => o.TrustedProxies.All(c => AddressRules.TryParseNetwork(c, out _)), "Webhook:TrustedProxies entries must be IP addresses or CIDRs.")
            .ValidateOnStart();
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.Keys.All(k => k.Length >= 16), "Api:Keys entries must be at least 16 characters.")
            .Validate(o => ApiOptions.IsValidBaseUrl(o.PublicBaseUrl), "Api:PublicBaseUrl must be an absolute http(s) URL without query, e.g. https://alerts.example.com.")
            .ValidateOnStart();
        builder.AddIngressHardening();
        builder.AddConsole();
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<OperationsHealth>();
        builder.Services.AddSingleton<AddressRules>();
        builder.Services.AddSingleton<WebhookRateLimiter>();
        builder.Services.AddSingleton<WebhookLog>();
        builder.Services.AddSingleton<WebhookClientFaults>();
        builder.Services.AddSingleton<WebhookServices>();
        builder.Services.AddSingleton<StrategyTokens>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StrategyTokens>());
        builder.Services.AddHostedService<WebhookLogWriter>();
        builder.Services.AddHostedService<KillSwitchMonitor>();
        if (builder.Configuration.GetValue<bool>("Webhook:RequireTradingViewClientCertificate"))
        {
            // Ask every TLS client for a certificate but let the route decide: only the TradingView
            // route requires TradingView's; signed senders need none.
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        }

        builder.Services.AddProblemDetails();
        builder.AddManagementApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseTokenPathRedaction();
        app.UseConsoleFiles();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseRouting();
        app.UseWebhookMetrics();
        app.UseRateLimiter();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthApi();
        app.MapAlgoSignalMetrics();
        app.MapWebhookApi();
        app.MapAlertsApi();
        app.MapWebhookLogApi();
        app.MapStrategiesApi();
        app.MapKillSwitchApi();
        app.MapTradingApi();
        app.MapReconciliationApi();
        app.MapNotificationsApi();
        app.MapMarketDataApi();
        app.MapRealtimeEndpoint();
        app.MapMarketDataHealthApi();
        app.MapConsole();
        return app;
    }
}
