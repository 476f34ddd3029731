using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Net.Http.Headers;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>Reads a webhook body within the size limit, whatever JSON-ish content type it claims.</summary>
public static class WebhookBody
{
    public static bool IsAcceptedContentType(string? contentType)
    {
        // TradingView sends text/plain when the message is not valid JSON, and some senders send
        // JSON as text/plain: both are parsed the same way (docs/architecture.md, "TradingView webhooks").
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Status 499 in the webhook log: the client closed the connection before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// Whether reading the body failed because of the client — too slow (Kestrel's minimum data
    /// rate), the connection ended early, or the client went away — and if so, what to log.
    /// </summary>
    public static (int Status, string Reason)? NotReceived(Exception exception, CancellationToken requestAborted) => exception switch
    {
        Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } =>
            (StatusCodes.Status408RequestTimeout, "The body arrived too slowly and was not read to the end; send it at once."),
        Microsoft.AspNetCore.Http.BadHttpRequestException bad =>
            (bad.StatusCode, "The body ended before its announced length (or was malformed); send the whole body."),
        OperationCanceledException when requestAborted.IsCancellationRequested =>
            (ClientClosedRequest, "The client closed the connection while sending the body."),
        IOException =>
            (ClientClosedRequest, "The client's connection failed while it was sending the body."),
        _ => null,
    };

    /// <summary>
    /// Ends the connection after a failed read: the client is gone or is being cut for slowness, no
    /// answer would reach it, and Kestrel must not try to drain a body whose read just failed (that
    /// ends in "Reading is already in progress" and a stack trace).
    /// </summary>
    public static void Abandon(HttpContext http) => http.Abort();

    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
