using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>The front door (CONTRACT §2): authenticate, limit, parse, publish-with-confirm, answer.</summary>
public static partial class WebhookApi
{
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhook", ReceiveSignedAsync).WithName("ReceiveSignedWebhook").WithTags("Webhooks").DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<WebhookAnswer>, JsonHttpResult<WebhookAnswer>>> ReceiveSignedAsync(
        HttpContext http,
        AlertPublisher publisher,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<AlertPublisher> logger,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var receivedAt = time.GetUtcNow();
        var request = http.Request;
        if (!WebhookBody.IsAcceptedContentType(request.ContentType))
        {
            return Reject(StatusCodes.Status415UnsupportedMediaType, "content_type", "Send the alert as application/json or text/plain.");
        }

        var body = await WebhookBody.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, "body", $"The body is larger than {settings.MaxBodyBytes} bytes.");
        }

        var check = WebhookSignature.Verify(
            request.Headers[WebhookSignature.HeaderName], body, settings.HmacSecrets, receivedAt, TimeSpan.FromSeconds(settings.SignatureToleranceSeconds));
        if (check != SignatureCheck.Valid)
        {
            LogUnauthenticated(logger, check.ToString(), http.Connection.RemoteIpAddress?.ToString());
            return Reject(StatusCodes.Status401Unauthorized, "signature", check switch
            {
                SignatureCheck.Missing => $"The {WebhookSignature.HeaderName} header is missing.",
                SignatureCheck.Malformed => $"The {WebhookSignature.HeaderName} header must look like t=<unix seconds>,v1=<64 hex digits>.",
                SignatureCheck.Stale => $"The signature's timestamp is more than {settings.SignatureToleranceSeconds} s away from the server's clock.",
                _ => "The signature does not match the body.",
            });
        }

        var parsed = AlertParser.Parse(body, requireStrategy: true);
        if (!parsed.IsValid)
        {
            return TypedResults.Json(new WebhookAnswer("rejected", Errors: parsed.Errors), statusCode: StatusCodes.Status400BadRequest);
        }

        var message = new AlertReceived(Guid.CreateVersion7(receivedAt), receivedAt, "webhook", null, http.Connection.RemoteIpAddress?.ToString(), parsed.RedactedJson!);
        if (!await publisher.TryPublishAsync(message, cancellationToken))
        {
            return TypedResults.Json(
                new WebhookAnswer("unavailable", Errors: [new AlertError("queue", "The alert could not be queued durably in time; nothing was accepted. Retry.")]),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", message.AlertId));
    }

    private static JsonHttpResult<WebhookAnswer> Reject(int status, string field, string message) =>
        TypedResults.Json(WebhookAnswer.Rejected(field, message), statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook rejected: signature {Check} from {SourceIp}")]
    private static partial void LogUnauthenticated(ILogger logger, string check, string? sourceIp);
}
