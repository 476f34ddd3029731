using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// PostgreSQL out of reach is the service's condition, not the request's fault: 503 with
/// <c>Retry-After</c> in the problem shape, so clients retry instead of reporting a bug.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        await TypedResults.Problem(
            title: "Service Unavailable",
            detail: "The database is not reachable right now; nothing was changed. Retry in a few seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
        return true;
    }

    private static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException || (e is NpgsqlException and not PostgresException && e.InnerException is System.Net.Sockets.SocketException))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503 to {Path}: PostgreSQL is not reachable ({Error}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, string path, string error, string reason);
}
