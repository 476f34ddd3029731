using AlgoSignal.Ingress.Api;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// <c>GET /api/v1/stream</c>: Server-Sent Events for the console — <c>alert</c> (an alert reached a final
/// state), <c>order</c> (an order's status changed), <c>kill_switch</c> (engaged or released) — fed by the
/// events the worker publishes on RabbitMQ, with a comment line every <see cref="HeartbeatInterval"/> so
/// proxies keep the connection and the client notices a dead one.
/// </summary>
public static class StreamApi
{
    public const string Route = "/api/v1/stream";

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, StreamAsync).WithName("Stream").WithTags("Console").AddEndpointFilter<ApiKeyFilter>()
            .WithDescription("Server-Sent Events: event alert, order and kill_switch, each with one JSON object as data; a comment line every 15 s.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithManagementProblems(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> StreamAsync(HttpContext http, ConsoleFeed feed, TimeProvider time, CancellationToken cancellationToken)
    {
        using var subscriber = feed.TryOpen();
        if (subscriber is null)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(
                detail: "Too many live streams are open (Console:MaxStreams); close a console tab or retry later.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";

        // Reverse proxies (nginx) buffer answers unless told not to; a buffered stream is no stream.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync("retry: 3000\n: connected\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var quiet = new CancellationTokenSource(HeartbeatInterval, time);
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, quiet.Token);
                string frame;
                try
                {
                    if (!await subscriber.Reader.WaitToReadAsync(heartbeat.Token))
                    {
                        // Dropped for falling behind: end the answer; the browser's EventSource reconnects.
                        break;
                    }

                    if (!subscriber.Reader.TryRead(out frame!))
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync($": heartbeat {time.GetUtcNow():O}\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                await response.WriteAsync(frame, cancellationToken);
                while (subscriber.Reader.TryRead(out var more))
                {
                    await response.WriteAsync(more, cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }
}
