using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;

namespace AlgoSignal.Brokers;

/// <summary>
/// What every broker request goes through, whichever broker: the broker's rate limit, a per-call time-out, one
/// classification of faults and guarded parsing of the answer. The classification decides what may be retried:
/// <list type="bullet">
/// <item><see cref="BrokerException"/> — nothing can have reached the order book (never connected, 429, 5xx, a read
/// that timed out or came back without the expected JSON): safe to retry.</item>
/// <item><see cref="BrokerUnknownOutcomeException"/> — a request that places or changes an order may have landed (no
/// answer in time, a connection broken mid-way, an answer that is not JSON or not in the broker's shape): never
/// retried here; the caller settles the order by its client order id.</item>
/// </list>
/// A 401 comes back as an answer, for the broker's own authentication to renew and repeat.
/// </summary>
public sealed class BrokerTransport(HttpClient http, string broker, RateLimiter limiter, TimeSpan timeout)
{
    /// <summary>
    /// Builds the request with <paramref name="build"/> once the rate limit lets it go (so a signature's timestamp is
    /// fresh) and sends it; <paramref name="changesOrders"/> says whether it may place, change or cancel an order. The
    /// answer is read into the broker's wire type <paramref name="wire"/>, so one that is not JSON or not in that shape
    /// is classified here like any other fault and never reaches the adapter as an exception of its own.
    /// </summary>
    public async Task<BrokerAnswer<T>> SendAsync<T>(Func<HttpRequestMessage> build, bool changesOrders, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new BrokerException($"{broker} requests are queued beyond the rate limit; the request was not sent.");
        }

        using var request = build();
        var what = request.RequestUri is { } uri ? (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]) : "";

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var late = $"{broker} did not answer {what} within {timeout.TotalSeconds:0} s";
            throw changesOrders ? new BrokerUnknownOutcomeException(late + "; the request may have landed.") : new BrokerException(late + ".");
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            // Never connected: nothing can have landed, retrying is safe.
            throw new BrokerException($"{broker} could not be reached: {ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            var broken = $"The connection to {broker} broke during {what}: {ex.Message}";
            throw changesOrders ? new BrokerUnknownOutcomeException(broken) : new BrokerException(broken, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            {
                throw new BrokerException($"{broker} answered HTTP {(int)response.StatusCode} to {what}.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length == 0)
            {
                return new BrokerAnswer<T>(response.StatusCode, default);
            }

            try
            {
                return new BrokerAnswer<T>(response.StatusCode, JsonSerializer.Deserialize(text, wire));
            }
            catch (Exception ex) when ((ex is JsonException or NotSupportedException) && response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return new BrokerAnswer<T>(response.StatusCode, default);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                // A proxy's page, a truncated answer or a shape the broker does not document: an order request may still have landed.
                var shapeless = $"{broker} answered HTTP {(int)response.StatusCode} to {what} without the expected JSON";
                throw changesOrders ? new BrokerUnknownOutcomeException(shapeless + "; the order may have landed.") : new BrokerException(shapeless + ".", ex);
            }
        }
    }
}

/// <summary>A broker's answer: its HTTP status and its body read into the broker's wire type (null when the body was empty).</summary>
public readonly record struct BrokerAnswer<T>(HttpStatusCode Status, T? Body);

/// <summary>A request that places or changes an order may have landed without an answer: settle by client order id, never resend blindly.</summary>
public sealed class BrokerUnknownOutcomeException(string message) : Exception(message);
