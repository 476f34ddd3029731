using Microsoft.AspNetCore.HostFiltering;
using Microsoft.OpenApi;

namespace AlgoSignal.Ingress.Api;

/// <summary>What the management API adds to the ingress: its public address, its OpenAPI document, its answers.</summary>
public static class ManagementApi
{
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static WebApplicationBuilder AddManagementApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicBaseUrl>();
        builder.Services.AddHostedService<PublicAddressCheck>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi(ApiDocument.Configure);

        // Host headers: loopback names unless AllowedHosts says otherwise (appsettings.json says the same;
        // this holds where that file is not loaded). The public host is always allowed, so setting
        // Api:PublicBaseUrl is enough for a deployment behind a name; "*" allows any.
        builder.Services.PostConfigure<HostFilteringOptions>(hosts =>
        {
            if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]))
            {
                hosts.AllowedHosts = [.. DefaultAllowedHosts];
            }

            var configured = builder.Configuration[$"{ApiOptions.Section}:{nameof(ApiOptions.PublicBaseUrl)}"];
            if (!hosts.AllowedHosts.Contains("*") && Uri.TryCreate(configured, UriKind.Absolute, out var uri) && !hosts.AllowedHosts.Contains(uri.IdnHost))
            {
                hosts.AllowedHosts = [.. hosts.AllowedHosts, uri.IdnHost];
            }
        });
        return builder;
    }

    /// <summary>
    /// Documents a request body without declaring it to routing: accepts-metadata would let routing answer
    /// a bare 415 before the handler can explain, and the strategy routes read JSON whatever the type says.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            if (context.Document is { } document)
            {
                document.AddComponent(typeof(T).Name, schema);
                schema = new OpenApiSchemaReference(typeof(T).Name, document);
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        });

    /// <summary>The problem answers every management route may give (401, 400 for unstorable text, 503), plus the route's own.</summary>
    public static RouteHandlerBuilder WithManagementProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        builder.ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        foreach (var statusCode in statusCodes)
        {
            builder.ProducesProblem(statusCode);
        }

        return builder;
    }
}
