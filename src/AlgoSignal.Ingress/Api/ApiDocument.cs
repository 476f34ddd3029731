using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// The OpenAPI document: its server is the public base URL (never the asking request's host), and every
/// <c>/api/</c> operation declares the <c>X-Api-Key</c> scheme, or instead the console's session cookie
/// (<see cref="SessionSchemeName"/>; changes made with it also need <c>X-CSRF-TOKEN</c>). Signing in
/// (<c>POST /api/v1/session</c>) needs neither. The document itself is public: it shows routes and shapes,
/// no data, so client generators can read it without a key.
/// </summary>
public static class ApiDocument
{
    public const string SchemeName = "ApiKey";
    public const string SessionSchemeName = "Session";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            var baseUrl = context.ApplicationServices.GetRequiredService<PublicBaseUrl>().Value;
            document.Servers = [new OpenApiServer { Url = baseUrl }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                Name = ApiKeyFilter.HeaderName,
                In = ParameterLocation.Header,
                Description = "One of the keys in Api:Keys. Without it, or with a wrong one, every /api/ route answers 401.",
            };
            document.Components.SecuritySchemes[SessionSchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                Name = Console.ConsoleSessions.CookieName,
                In = ParameterLocation.Cookie,
                Description = "The console's session (POST /api/v1/session). A POST, PUT, PATCH or DELETE made with it must also send X-CSRF-TOKEN with the antiforgery_token of GET /api/v1/session, or it is refused with 400.",
            };
            foreach (var (path, item) in document.Paths)
            {
                if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null)
                {
                    continue;
                }

                foreach (var (method, operation) in item.Operations)
                {
                    if (path == Console.SessionApi.Route && method == HttpMethod.Post)
                    {
                        continue;
                    }

                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionSchemeName, document)] = [] });
                }
            }

            return Task.CompletedTask;
        });
    }
}
