namespace AlgoSignal.Ingress.Security;

/// <summary>
/// Headers on every answer, pages and API alike: <c>X-Content-Type-Options: nosniff</c>; a
/// Content-Security-Policy that allows scripts, styles and connections from this origin only (no inline
/// script, so injected markup cannot run) and no framing; <c>X-Frame-Options: DENY</c> for browsers that
/// predate <c>frame-ancestors</c>; <c>Referrer-Policy: no-referrer</c>, so page URLs (alert ids, strategy
/// names) never leave with a link. <c>Cache-Control: no-store</c> on the API, whose answers carry
/// management data and, for a new strategy or a rotated token, the webhook token itself — no browser or
/// proxy may keep a copy.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(static state =>
            {
                var response = ((HttpContext)state).Response;
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                response.Headers.XFrameOptions = "DENY";
                response.Headers["Referrer-Policy"] = "no-referrer";
                if (((HttpContext)state).Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, http);
            return next(http);
        });
}
