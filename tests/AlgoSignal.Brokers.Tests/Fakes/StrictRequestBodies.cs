using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>
/// What the broker fakes share about request bodies: like a gateway or proxy that reads only
/// <c>Content-Length</c>, a body sent without one (chunked) is refused with 411, and every body is kept
/// as sent so tests can check the exact text of the numbers.
/// </summary>
public static class StrictRequestBodies
{
    public static void UseStrictRequestBodies(this WebApplication app, ConcurrentQueue<string> bodies) =>
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            var hasBody = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;
            if (hasBody && request.ContentLength is null)
            {
                http.Response.StatusCode = StatusCodes.Status411LengthRequired;
                await http.Response.WriteAsync("Content-Length required", http.RequestAborted);
                return;
            }

            if (hasBody)
            {
                request.EnableBuffering();
                using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
                var text = await reader.ReadToEndAsync(http.RequestAborted);
                if (Encoding.UTF8.GetByteCount(text) != request.ContentLength)
                {
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await http.Response.WriteAsync("Content-Length does not match the body", http.RequestAborted);
                    return;
                }

                bodies.Enqueue(text);
                request.Body.Position = 0;
            }

            await next(http);
        });
}
