using MassTransit;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace AlgoSignal.Ingress.Console;

/// <summary>What the browser console adds to the ingress: its options, sessions and antiforgery, live stream, files and pages.</summary>
public static class ConsoleRegistration
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var console = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();

        // Secure when the request is HTTPS — and always when users reach the ingress over HTTPS through a
        // proxy that ends TLS (Api:PublicBaseUrl https://…), where the request itself arrives as plain HTTP.
        var secure = Uri.TryCreate(builder.Configuration[$"{Api.ApiOptions.Section}:{nameof(Api.ApiOptions.PublicBaseUrl)}"], UriKind.Absolute, out var publicUrl)
            && publicUrl.Scheme == Uri.UriSchemeHttps
                ? CookieSecurePolicy.Always
                : CookieSecurePolicy.SameAsRequest;

        // The keys decrypt every session cookie. On a file system every ingress behind one address can share
        // (a volume), across restarts; only this user may read them.
        var keys = Directory.CreateDirectory(console.ResolvedKeysPath());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        builder.Services.AddDataProtection().SetApplicationName(ConsoleSessions.ApplicationName).PersistKeysToFileSystem(keys);
        builder.Services.AddSingleton<ConsoleSessions>();
        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.AddHostedService<StoredSessionRevocations>();
        builder.Services.AddSingleton<ConsoleFeed>();
        builder.Services.AddSingleton<RecentEvents>();
        builder.Services.AddSingleton<KillSwitchChanges>();
        builder.Services.AddSingleton<KillSwitchAnnouncer>();
        builder.Services.AddSingleton<ConsoleAlerts>();
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = ConsoleSessions.CsrfHeader;
            o.Cookie.Name = ConsoleSessions.AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Antiforgery refuses to issue an Always-secure cookie on a plain HTTP request (a TLS-ending proxy);
            // its cookie is worthless without the session's, which is the one that must stay secure.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";

            // The security headers already say X-Frame-Options: DENY on every answer.
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddAuthentication(ConsoleSessions.Scheme).AddCookie(ConsoleSessions.Scheme, o =>
        {
            o.Cookie.Name = ConsoleSessions.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = TimeSpan.FromHours(console.SessionHours);
            o.SlidingExpiration = false;

            // An API answers; it does not redirect to a sign-in page.
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = context =>
            {
                var services = context.HttpContext.RequestServices;
                var id = context.Principal?.FindFirst(ConsoleSessions.SessionIdClaim)?.Value;
                if (id is null
                    || services.GetRequiredService<SessionRevocations>().IsRevoked(id)
                    || !services.GetRequiredService<ConsoleSessions>().IsKeyStillConfigured(context.Principal?.FindFirst(ConsoleSessions.KeyClaim)?.Value))
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>The console's share of the bus: its consumer, on a temporary queue of this process.</summary>
    public static void AddConsoleConsumer(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ConsoleEventConsumer>().ExcludeFromConfigureEndpoints();

    public static void ConfigureConsoleEndpoint(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit) =>
        rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("console"), endpoint => endpoint.ConfigureConsumer<ConsoleEventConsumer>(context));

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapSessionApi();
        app.MapStreamApi();
        app.MapOverviewApi();
        app.MapConsoleActionsApi();
        app.MapConsolePages();
        return app;
    }
}
