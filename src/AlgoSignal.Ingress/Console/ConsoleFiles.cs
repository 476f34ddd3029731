using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Serves the built console (<c>Console:Root</c>, by default the <c>wwwroot</c> the build copies next to
/// the binaries): its files as they are, and <c>index.html</c> for every other GET page path so bookmarked
/// URLs like <c>/alerts/{id}</c> open the app. Paths of the API and the machine routes never fall back:
/// an unknown <c>/api/…</c> stays a JSON 404. Vite's hashed assets are cached for a year; the page itself
/// is revalidated on every load, so a new build shows at once.
/// </summary>
public static class ConsoleFiles
{
    /// <summary>Prefixes that belong to the machine side; a miss there is a 404, never the console.</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["/api", "/webhook", "/metrics", "/health", "/openapi", "/ws"];

    private const string IndexFile = "index.html";

    private const string NotBuiltPage =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AlgoSignal</title></head><body>"
        + "<h1>AlgoSignal</h1><p>The console is not built. Run <code>infra/run.sh</code> (it builds it with Node.js 20 or newer), "
        + "or <code>npm ci &amp;&amp; npm run build</code> in <code>src/AlgoSignal.Console</code> and restart the ingress, "
        + "or point <code>Console:Root</code> at a built console.</p><p>The API answers at <code>/api/v1</code>; its description is at "
        + "<a href=\"/openapi/v1.json\">/openapi/v1.json</a>.</p></body></html>";

    /// <summary>The console page whose URL is also a machine prefix: a browser gets the page, probes what they always got.</summary>
    public const string HealthPage = "/health";

    public static IApplicationBuilder UseConsoleFiles(this IApplicationBuilder app)
    {
        // Before routing, so it holds whatever a machine route at /health answers: only a browser asking for
        // HTML at exactly /health gets the console (the page is then reloadable and bookmarkable);
        // /health/live, /health/ready and any request not accepting text/html pass through unchanged.
        app.Use(async (context, next) =>
        {
            if (!IsHealthPageRequest(context.Request))
            {
                await next(context);
                return;
            }

            context.Response.Headers.Append("Vary", "Accept");
            if (AcceptsHtml(context.Request))
            {
                await ServeIndex(context, context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>(), servesReserved: true).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        var root = app.ApplicationServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.ResolvedRoot();
        if (!Directory.Exists(root))
        {
            return app;
        }

        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = CacheControlFor(context.Context.Request.Path),
        });
    }

    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        // GET/HEAD only and a catch-all, so every real route wins and a POST to a GET route stays a 405;
        // "nonfile" leaves paths with an extension (a missing asset) to the plain 404.
        app.MapMethods("{*path:nonfile}", [HttpMethods.Get, HttpMethods.Head], ServePage).ExcludeFromDescription();
        return app;
    }

    public static bool IsReserved(PathString path) => ReservedPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static bool IsHealthPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && string.Equals(request.Path.Value, HealthPage, StringComparison.OrdinalIgnoreCase);

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    private static IResult ServePage(HttpContext http, IOptions<ConsoleOptions> options) => ServeIndex(http, options, servesReserved: false);

    private static IResult ServeIndex(HttpContext http, IOptions<ConsoleOptions> options, bool servesReserved)
    {
        if (!servesReserved && IsReserved(http.Request.Path))
        {
            return TypedResults.Problem(detail: "No such route. The API is described at /openapi/v1.json.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.CacheControl = "no-cache";
        var index = Path.Combine(options.Value.ResolvedRoot(), IndexFile);
        return File.Exists(index)
            ? TypedResults.PhysicalFile(index, "text/html; charset=utf-8")
            : TypedResults.Content(NotBuiltPage, "text/html; charset=utf-8");
    }

    private static string CacheControlFor(PathString path) =>
        path.StartsWithSegments("/assets", StringComparison.Ordinal)
            // Vite names every asset after a hash of its content: a changed file is a new URL.
            ? "public, max-age=31536000, immutable"
            : "no-cache";
}
