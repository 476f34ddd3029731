namespace AlgoSignal.Ingress.Security;

/// <summary>
/// Headers on every answer: <c>X-Content-Type-Options: nosniff</c> everywhere, and
/// <c>Cache-Control: no-store</c> on the API, whose answers carry management data and, for a new
/// strategy or a rotated token, the webhook token itself — no browser or proxy may keep a copy.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(static state =>
            {
                var response = ((HttpContext)state).Response;
                response.Headers.XContentTypeOptions = "nosniff";
                if (((HttpContext)state).Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, http);
            return next(http);
        });
}
