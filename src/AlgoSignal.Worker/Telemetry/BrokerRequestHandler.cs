using AlgoSignal.ServiceDefaults.Telemetry;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>
/// Counts and times one broker's HTTP requests. The <c>operation</c> label is a small fixed set read from
/// the method and path (never the path itself: it holds order and account ids).
/// </summary>
public sealed class BrokerRequestHandler(string broker, AlgoSignalMetrics metrics, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = OperationOf(request);
        var started = time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.BrokerRequest(broker, operation, OutcomeOf((int)response.StatusCode), time.GetElapsedTime(started));
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            metrics.BrokerRequest(broker, operation, ex is OperationCanceledException && !cancellationToken.IsCancellationRequested ? "timeout" : "transport_error", time.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary><c>auth</c>, <c>stream</c>, <c>cancel</c>, <c>positions</c>, <c>place</c>, <c>order_status</c> or <c>other</c>.</summary>
    public static string OperationOf(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath.ToLowerInvariant() ?? "";
        var method = request.Method;
        return path switch
        {
            _ when path.Contains("token", StringComparison.Ordinal) || path.Contains("oauth", StringComparison.Ordinal) || path.Contains("/tickle", StringComparison.Ordinal) => "auth",
            _ when path.Contains("/stream/", StringComparison.Ordinal) => "stream",
            _ when method == HttpMethod.Delete || path.Contains("cancel", StringComparison.Ordinal) => "cancel",
            _ when path.Contains("position", StringComparison.Ordinal) => "positions",
            _ when (method == HttpMethod.Post || method == HttpMethod.Put) && (path.Contains("order", StringComparison.Ordinal) || path.Contains("/reply/", StringComparison.Ordinal)) => "place",
            _ when path.Contains("order", StringComparison.Ordinal) || path.Contains("execution", StringComparison.Ordinal) => "order_status",
            _ => "other",
        };
    }

    /// <summary><c>success</c>, <c>rate_limited</c>, <c>client_error</c> or <c>server_error</c>.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        < 400 => "success",
        429 => "rate_limited",
        < 500 => "client_error",
        _ => "server_error",
    };
}
