using AlgoSignal.ServiceDefaults.Telemetry;

namespace AlgoSignal.Ingress.Telemetry;

/// <summary>
/// Counts every answer of the two webhook routes by route and status, whichever check decided it —
/// including a 500 set by the exception handler further down the pipeline.
/// </summary>
public static class WebhookMetrics
{
    private static readonly Dictionary<string, string> Routes = new(StringComparer.Ordinal)
    {
        ["ReceiveSignedWebhook"] = "signed",
        ["ReceiveTradingViewWebhook"] = "tradingview",
    };

    /// <summary>Goes right after routing (the endpoint is known) and before the exception handler.</summary>
    public static IApplicationBuilder UseWebhookMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<AlgoSignalMetrics>();
        return app.Use(async (context, next) =>
        {
            var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            if (name is null || !Routes.TryGetValue(name, out var route))
            {
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                metrics.WebhookRequest(route, context.Response.StatusCode);
            }
        });
    }
}
