namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// Takes the TradingView token out of the request path before anything else sees it: routing,
/// endpoint and diagnostic logs then only ever show <c>/webhook/tradingview</c>, at any log level.
/// </summary>
public static class TokenPathRedaction
{
    public const string Prefix = "/webhook/tradingview/";
    private const string TokenItem = "AlgoSignal.TradingViewToken";

    public static IApplicationBuilder UseTokenPathRedaction(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Items[TokenItem] = path[Prefix.Length..].TrimEnd('/');
            context.Request.Path = Prefix.TrimEnd('/');
        }

        return next(context);
    });

    public static string? TokenOf(HttpContext context) => context.Items.TryGetValue(TokenItem, out var token) ? token as string : null;
}
