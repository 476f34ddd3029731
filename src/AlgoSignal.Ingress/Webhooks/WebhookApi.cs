using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// The front door (README, "Answers of POST /webhook"), both routes: rate limit, allowlist, content type, size, authenticate,
/// parse and validate, publish with confirm — and every outcome written to the webhook log.
/// </summary>
public static partial class WebhookApi
{
    public const string SignedRoute = "/webhook";
    public const string TradingViewRoute = "/webhook/tradingview";

    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignedRoute, ReceiveSignedAsync).WithName("ReceiveSignedWebhook").WithTags("Webhooks").DisableAntiforgery();
        app.MapPost(TradingViewRoute, ReceiveTradingViewAsync).WithName("ReceiveTradingViewWebhook").WithTags("Webhooks").DisableAntiforgery()
            .WithSummary("POST /webhook/tradingview/{token}: the token is taken out of the path before routing so that no log ever shows it.");
        return app;
    }

    public static Task<Results<Accepted<WebhookAnswer>, JsonHttpResult<WebhookAnswer>>> ReceiveSignedAsync(
        HttpContext http, WebhookServices services, CancellationToken cancellationToken) =>
        ReceiveAsync(http, services, token: null, cancellationToken);

    public static Task<Results<Accepted<WebhookAnswer>, JsonHttpResult<WebhookAnswer>>> ReceiveTradingViewAsync(
        HttpContext http, WebhookServices services, CancellationToken cancellationToken) =>
        ReceiveAsync(http, services, TokenPathRedaction.TokenOf(http) ?? "", cancellationToken);

    private static async Task<Results<Accepted<WebhookAnswer>, JsonHttpResult<WebhookAnswer>>> ReceiveAsync(
        HttpContext http, WebhookServices services, string? token, CancellationToken cancellationToken)
    {
        var settings = services.Options;
        var tradingView = token is not null;
        var route = tradingView ? "tradingview" : "signed";
        var receivedAt = services.Time.GetUtcNow();
        var client = services.Addresses.ClientAddress(http);
        var clientText = client?.ToString();
        var request = http.Request;

        JsonHttpResult<WebhookAnswer> Reject(int status, string field, string message, string? strategy = null, string? payload = null)
        {
            services.Log.Record(new WebhookLogEntry(receivedAt, route, clientText, status, $"{field}: {message}", null, strategy, payload));
            return TypedResults.Json(WebhookAnswer.Rejected(field, message), statusCode: status);
        }

        if (services.RateLimiter.CheckSource(clientText ?? "unknown") is { } sourceWait)
        {
            http.Response.Headers.RetryAfter = sourceWait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Reject(StatusCodes.Status429TooManyRequests, "rate_limit", $"Too many requests from {clientText}; retry in {sourceWait} s.");
        }

        if (tradingView && !services.Addresses.IsAllowedOnTradingViewRoute(client))
        {
            return Reject(StatusCodes.Status403Forbidden, "source_ip", $"{clientText} is not in Webhook:IpAllowlist:Cidrs.");
        }

        if (tradingView && settings.RequireTradingViewClientCertificate && !TradingViewCertificate.IsPresented(http.Connection.ClientCertificate))
        {
            return Reject(StatusCodes.Status401Unauthorized, "client_certificate", "TradingView's client certificate is required on this route.");
        }

        if (!WebhookBody.IsAcceptedContentType(request.ContentType))
        {
            // The sender's Content-Type is not repeated: the answer and the log must not carry text an attacker chose.
            return Reject(StatusCodes.Status415UnsupportedMediaType, "content_type", "The Content-Type is not accepted: send the alert as application/json or text/plain (UTF-8).");
        }

        byte[]? body;
        try
        {
            body = await WebhookBody.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
        }
        catch (Exception ex) when (WebhookBody.NotReceived(ex, http.RequestAborted) is { } fault)
        {
            services.ClientFaults.Report(route, clientText, fault.Reason);
            var rejected = Reject(fault.Status, "body", fault.Reason);
            WebhookBody.Abandon(http);
            return rejected;
        }

        if (body is null)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, "body", $"The body is larger than {settings.MaxBodyBytes} bytes.");
        }

        string? tokenStrategy = null;
        if (tradingView)
        {
            tokenStrategy = await services.Tokens.FindAsync(token!, cancellationToken);
            if (tokenStrategy is null)
            {
                LogUnauthenticated(services.Logger, route, "unknown token", clientText);
                return Reject(StatusCodes.Status401Unauthorized, "token", "The webhook URL's token is not valid. Copy the URL shown when the strategy was created or its token rotated.");
            }
        }
        else
        {
            var check = WebhookSignature.Verify(
                request.Headers[WebhookSignature.HeaderName], body, settings.HmacSecrets, receivedAt, TimeSpan.FromSeconds(settings.SignatureToleranceSeconds));
            if (check != SignatureCheck.Valid)
            {
                LogUnauthenticated(services.Logger, route, check.ToString(), clientText);
                return Reject(StatusCodes.Status401Unauthorized, "signature", check switch
                {
                    SignatureCheck.Missing => $"The {WebhookSignature.HeaderName} header is missing.",
                    SignatureCheck.Malformed => $"The {WebhookSignature.HeaderName} header must look like t=<unix seconds>,v1=<64 hex digits>.",
                    SignatureCheck.Stale => $"The signature's timestamp is more than {settings.SignatureToleranceSeconds} s away from the server's clock.",
                    SignatureCheck.EmptySecret => "The signature was made with an empty secret: the sender's HMAC secret is not set (e.g. ALGOSIGNAL_HMAC_SECRET is empty; after infra/run.sh run: source .local/env). Sign with a secret of Webhook:HmacSecrets.",
                    _ => "The signature does not match the body.",
                });
            }
        }

        var parsed = AlertParser.Parse(body, requireStrategy: !tradingView);
        if (!parsed.IsValid)
        {
            services.Log.Record(new WebhookLogEntry(receivedAt, route, clientText, StatusCodes.Status400BadRequest,
                string.Join(" ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")), null, tokenStrategy, parsed.RedactedJson));
            return TypedResults.Json(new WebhookAnswer("rejected", Errors: parsed.Errors), statusCode: StatusCodes.Status400BadRequest);
        }

        var payload = parsed.Payload!;
        if (tokenStrategy is not null && payload.Strategy is not null && !string.Equals(payload.Strategy, tokenStrategy, StringComparison.Ordinal))
        {
            return Reject(StatusCodes.Status400BadRequest, "strategy",
                $"The body names strategy \"{payload.Strategy}\" but this URL belongs to \"{tokenStrategy}\"; remove the field or fix it.", tokenStrategy, parsed.RedactedJson);
        }

        var strategy = tokenStrategy ?? payload.Strategy!;
        if (services.RateLimiter.CheckStrategy(strategy) is { } strategyWait)
        {
            http.Response.Headers.RetryAfter = strategyWait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Reject(StatusCodes.Status429TooManyRequests, "rate_limit", $"Too many alerts for strategy \"{strategy}\"; retry in {strategyWait} s.", strategy, parsed.RedactedJson);
        }

        var message = new AlertReceived(Guid.CreateVersion7(receivedAt), receivedAt, tradingView ? "tradingview" : "webhook", tokenStrategy, clientText, parsed.RedactedJson!);
        if (!await services.Publisher.TryPublishAsync(message, AlertPartitioning.Partition(strategy, payload.Ticker, services.AlertPartitions), cancellationToken))
        {
            services.Log.Record(new WebhookLogEntry(receivedAt, route, clientText, StatusCodes.Status503ServiceUnavailable,
                "queue: no publisher confirm in time; nothing accepted", null, strategy, parsed.RedactedJson));
            return TypedResults.Json(
                new WebhookAnswer("unavailable", Errors: [new AlertError("queue", "The alert could not be queued durably in time; nothing was accepted. Retry.")]),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        services.Log.Record(new WebhookLogEntry(receivedAt, route, clientText, StatusCodes.Status202Accepted, null, message.AlertId, strategy, parsed.RedactedJson));
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", message.AlertId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook rejected on the {Route} route: {Check} from {SourceIp}")]
    private static partial void LogUnauthenticated(ILogger logger, string route, string check, string? sourceIp);
}
